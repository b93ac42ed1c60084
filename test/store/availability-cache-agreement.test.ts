import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { judgeCandidates } from "../../src/booking/availability-rule.js";
import type { SlotQuery } from "../../src/booking/inventory.js";
import type { CalendarLink } from "../../src/calendar/calendar-link.js";
import { openDatabase, type SqliteDatabase } from "../../src/store/sqlite/open-database.js";
import { createSlotTable } from "../../src/store/sqlite/slot-table.js";
import { makeCreateBookingInput } from "../booking/booking-builders.js";
import { type EngineFixture, openEngineFixture } from "../booking/engine-fixture.js";
import { makeAvailability, makeFeed } from "../booking/feed-builders.js";
import { unreachableCalendarCredentials } from "../calendar/calendar-fixtures.js";

const day = 86_400;
// A UTC midnight a few days after the test clock's now: slots sit on both sides of day boundaries.
const midnight = Math.ceil(1_900_000_000 / day) * day + 2 * day;
const merchants = ["m1", "m2"] as const;

const slotKey = fc.record({
  merchantId: fc.constantFrom(...merchants),
  serviceId: fc.constantFrom("s1", "s2"),
  // Every 4 hours from 8 hours before a midnight to two days after it, so midnights themselves are starts.
  startSec: fc.integer({ min: -2, max: 12 }).map((k) => midnight + k * 4 * 3600),
  durationSec: fc.constantFrom(1800, 3600, 5 * 3600),
  staffId: fc.constantFrom("", "st1"),
  roomId: fc.constantFrom("", "r1"),
  partySize: fc.constantFrom(0, 2),
});
type Key = typeof slotKey extends fc.Arbitrary<infer T> ? T : never;

const range = fc
  .record({ from: fc.integer({ min: -3, max: 14 }), hours: fc.integer({ min: 1, max: 30 }) })
  .map(({ from, hours }) => ({
    startSec: midnight + from * 4 * 3600,
    endSec: midnight + from * 4 * 3600 + hours * 3600,
  }));
const resource = fc.oneof(
  fc.constant({ resourceKind: "merchant" as const, resourceId: "" }),
  fc.constantFrom("st1", "st2").map((id) => ({ resourceKind: "staff" as const, resourceId: id })),
  fc.constant({ resourceKind: "room" as const, resourceId: "r1" }),
);

const step = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant("feed" as const),
      slots: fc.uniqueArray(fc.record({ key: slotKey, total: fc.integer({ min: 0, max: 3 }), open: fc.nat(3) }), {
        maxLength: 25,
        selector: (entry) => JSON.stringify(entry.key),
      }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant("book" as const), key: slotKey }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant("block" as const),
      merchantId: fc.constantFrom(...merchants),
      resource,
      range,
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant("unblock" as const), pick: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant("sync" as const),
      events: fc.array(fc.record({ eventId: fc.constantFrom("e1", "e2", "e3"), range: fc.option(range) }), {
        maxLength: 3,
      }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("merchant-slot" as const), key: slotKey, total: fc.nat(3) }),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant("remove-slot" as const), pick: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant("other-connection" as const), pick: fc.nat(), external: fc.nat(3) }),
    weight: 1,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("other-move" as const), pick: fc.nat() }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("lookup" as const),
      queries: fc.array(
        fc.record({ key: slotKey, anyDuration: fc.boolean(), merchantId: fc.constantFrom("m1", "m2", "m-unknown") }),
        { minLength: 1, maxLength: 40 },
      ),
    }),
    weight: 6,
  },
);
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

const credentials = unreachableCalendarCredentials();

const feedEntry = ({ key, total, open }: { key: Key; total: number; open: number }) =>
  makeAvailability({
    merchant_id: key.merchantId,
    service_id: key.serviceId,
    start_sec: key.startSec,
    duration_sec: key.durationSec,
    spots_total: total,
    spots_open: Math.min(open, total),
    resources: { staff_id: key.staffId, room_id: key.roomId, party_size: key.partySize },
  });

/** Runs one step through the real ports (or, for "other-connection", raw SQL on a second connection). */
async function apply(fx: EngineFixture, other: SqliteDatabase, link: CalendarLink, bookings: string[], s: Step) {
  const now = fx.clock.nowSec();
  switch (s.kind) {
    case "feed":
      await fx.importFeed(makeFeed(s.slots.map(feedEntry)));
      return;
    case "book": {
      const outcome = await fx.engine.createBooking(makeCreateBookingInput({ slot: s.key }));
      if (outcome.kind === "created") bookings.push(outcome.booking.bookingId);
      return;
    }
    case "cancel": {
      const bookingId = bookings[s.pick % Math.max(1, bookings.length)];
      if (bookingId) await fx.engine.updateBooking({ caller: "partner", bookingId, cancel: true });
      return;
    }
    case "block":
      await fx.storage.calendar.addBlock({ merchantId: s.merchantId, ...s.resource, ...s.range, note: "" }, now);
      return;
    case "unblock": {
      const blocks = await fx.storage.calendar.listBlocks();
      const block = blocks[s.pick % Math.max(1, blocks.length)];
      if (block) await fx.storage.calendar.removeBlock(block.blockId, now);
      return;
    }
    case "sync": {
      const changes = s.events.map((e) => ({ eventId: e.eventId, range: e.range ?? undefined }));
      await fx.storage.calendar.applySync(
        link,
        { mode: "incremental", changes, nextSyncToken: "t", timeZone: "UTC" },
        now,
        now + 300,
      );
      return;
    }
    case "merchant-slot":
      await fx.storage.bookings.write((w) => w.saveSlot({ ...s.key, spotsTotal: s.total, spotsExternal: 0 }));
      return;
    case "remove-slot": {
      const ids = other.prepare("SELECT slot_id FROM slot ORDER BY slot_id").pluck().all() as number[];
      const slotId = ids[s.pick % Math.max(1, ids.length)];
      if (slotId !== undefined) await fx.storage.bookings.write((w) => w.removeSlot(slotId));
      return;
    }
    case "other-connection": {
      const ids = other.prepare("SELECT slot_id FROM slot ORDER BY slot_id").pluck().all() as number[];
      const slotId = ids[s.pick % Math.max(1, ids.length)];
      if (slotId !== undefined)
        other.prepare("UPDATE slot SET spots_external = ? WHERE slot_id = ?").run(s.external, slotId);
      return;
    }
    case "other-move": {
      // No port moves an interval to another merchant; the schema allows it, so the versions must follow.
      const ids = other.prepare("SELECT id FROM busy_interval ORDER BY id").pluck().all() as number[];
      const id = ids[s.pick % Math.max(1, ids.length)];
      if (id !== undefined) {
        other
          .prepare(
            "UPDATE busy_interval SET merchant_id = CASE merchant_id WHEN 'm1' THEN 'm2' ELSE 'm1' END WHERE id = ?",
          )
          .run(id);
      }
      return;
    }
    case "lookup":
      return;
  }
}

/** Compares the server's (cached) reads with a fresh read on another connection, for the step's lookup. */
async function compare(fx: EngineFixture, truth: ReturnType<typeof createSlotTable>, other: SqliteDatabase, s: Step) {
  const queries: SlotQuery[] =
    s.kind === "lookup"
      ? s.queries.map((q) => ({
          ...q.key,
          merchantId: q.merchantId,
          durationSec: q.anyDuration ? 0 : q.key.durationSec,
        }))
      : [];
  // Enough to take the range path of the uncached read as well as the keyed one.
  if (queries.length === 0)
    for (const m of merchants)
      for (let k = -2; k <= 12; k++)
        queries.push({
          merchantId: m,
          serviceId: "s1",
          startSec: midnight + k * 4 * 3600,
          durationSec: 0,
          staffId: "",
          roomId: "",
          partySize: 0,
        });
  const fresh = other.transaction(() => ({
    slots: truth.findSlots(queries),
    busy: merchants.map((m) => truth.busyIntervals(m, midnight - day, midnight + 3 * day)),
    some: truth.busyIntervals("m1", midnight + 3600, midnight + 5 * 3600),
  }))();
  const cached = await fx.storage.bookings.read(async (r) => ({
    slots: await r.findSlots(queries),
    busy: await Promise.all(merchants.map((m) => r.busyIntervals(m, midnight - day, midnight + 3 * day))),
    some: await r.busyIntervals("m1", midnight + 3600, midnight + 5 * 3600),
  }));
  expect(cached).toEqual(fresh);
  const now = fx.clock.nowSec();
  const busy = merchants.flatMap((m) => truth.busyIntervals(m, midnight - 2 * day, midnight + 4 * day));
  expect(await fx.engine.lookupAvailability(queries)).toEqual(fresh.slots.map((c) => judgeCandidates(c, busy, now)));
}

describe("the SQLite availability cache", () => {
  it("answers every lookup as a fresh read does, whatever writes come between", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 30 }), async (steps) => {
        const fx = await openEngineFixture({ backend: "sqlite" });
        const other = openDatabase(fx.url);
        try {
          const truth = createSlotTable(other);
          const { link } = await fx.storage.calendar.saveLink(
            { merchantId: "m1", resourceKind: "staff", resourceId: "st1", calendarId: "c@example.com", credentials },
            fx.clock.nowSec(),
          );
          const bookings: string[] = [];
          for (const s of steps) {
            await apply(fx, other, link, bookings, s);
            await compare(fx, truth, other, s);
          }
        } finally {
          other.close();
          await fx.close();
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
