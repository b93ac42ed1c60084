import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BookingError } from "../../src/booking/booking-error.js";
import { createBookingTable } from "../../src/store/sqlite/booking-table.js";
import { openDatabase, type SqliteDatabase } from "../../src/store/sqlite/open-database.js";
import type { SqliteBookingStore } from "../../src/store/sqlite/sqlite-booking-store.js";
import { makeCreateBookingInput } from "../booking/booking-builders.js";
import { type EngineFixture, openEngineFixture } from "../booking/engine-fixture.js";
import { makeAvailability, makeFeed } from "../booking/feed-builders.js";

const start = 1_900_000_000 + 2 * 86_400;
const callers = ["partner", "other-partner"] as const;
const users = ["u1", "u2", "u3"] as const;
const hours = [0, 1, 2, 3, 4, 5] as const;
const modes = ["CONFIRMATION_MODE_SYNCHRONOUS", "CONFIRMATION_MODE_ASYNCHRONOUS"] as const;

const slotOf = (hour: number) => ({
  merchantId: "m1",
  serviceId: "s1",
  startSec: start + hour * 3600,
  durationSec: 3600,
  staffId: "",
  roomId: "",
  partySize: 0,
});

const feedSlot = fc.record({
  hour: fc.constantFrom(...hours),
  tag: fc.constantFrom("", "a", "b"),
  mode: fc.constantFrom(...modes),
  total: fc.integer({ min: 1, max: 3 }),
});

const step = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant("feed" as const),
      slots: fc.uniqueArray(feedSlot, { maxLength: hours.length, selector: (s) => s.hour }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("book" as const),
      caller: fc.constantFrom(...callers),
      user: fc.constantFrom(...users),
      hour: fc.constantFrom(...hours),
    }),
    weight: 5,
  },
  { arbitrary: fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }), weight: 2 },
  {
    arbitrary: fc.record({ kind: fc.constant("reschedule" as const), pick: fc.nat(), hour: fc.constantFrom(...hours) }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("decide" as const),
      pick: fc.nat(),
      decision: fc.constantFrom("confirm" as const, "decline" as const),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("other-slot" as const),
      hour: fc.constantFrom(...hours),
      column: fc.constantFrom("availability_tag", "confirmation_mode", "spots_external", "duration_sec"),
      value: fc.nat(2),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("other-booking" as const),
      pick: fc.nat(),
      change: fc.constantFrom("status", "user", "caller", "user_json", "delete"),
      user: fc.constantFrom(...users),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant("list" as const) }), weight: 4 },
);
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

const slotValue = (column: string, value: number) => {
  if (column === "availability_tag") return ["", "a", "b"][value] as string;
  if (column === "confirmation_mode") return ["UNSPECIFIED", "SYNCHRONOUS", "ASYNCHRONOUS"][value] as string;
  if (column === "duration_sec") return 3600 + value * 900;
  return value;
};

/** A booking id picked from every booking, in the order they were made. */
const pickBooking = (other: SqliteDatabase, pick: number) => {
  const ids = other.prepare("SELECT booking_id FROM booking ORDER BY rowid").pluck().all() as string[];
  return ids[pick % Math.max(1, ids.length)];
};
const callerOf = (other: SqliteDatabase, bookingId: string) =>
  other.prepare("SELECT caller FROM booking WHERE booking_id = ?").pluck().get(bookingId) as string;

/** Runs one step through the real ports, or as raw SQL on a second connection. */
async function apply(fx: EngineFixture, other: SqliteDatabase, s: Step) {
  switch (s.kind) {
    case "feed":
      await fx.importFeed(
        makeFeed(
          s.slots.map((slot) =>
            makeAvailability({
              start_sec: slotOf(slot.hour).startSec,
              duration_sec: 3600,
              spots_total: slot.total,
              spots_open: slot.total,
              availability_tag: slot.tag,
              confirmation_mode: slot.mode,
            }),
          ),
          { instruction: "PROCESS_AS_INCREMENTAL" },
        ),
      );
      return;
    case "book":
      await fx.engine.createBooking(
        makeCreateBookingInput({
          caller: s.caller,
          slot: slotOf(s.hour),
          user: { ...makeCreateBookingInput().user, userId: s.user },
        }),
      );
      return;
    case "cancel": {
      const bookingId = pickBooking(other, s.pick);
      if (bookingId) await fx.engine.updateBooking({ caller: callerOf(other, bookingId), bookingId, cancel: true });
      return;
    }
    case "reschedule": {
      const bookingId = pickBooking(other, s.pick);
      if (bookingId) {
        await fx.engine.updateBooking({
          caller: callerOf(other, bookingId),
          bookingId,
          cancel: false,
          reschedule: { startSec: slotOf(s.hour).startSec },
        });
      }
      return;
    }
    case "decide": {
      const bookingId = pickBooking(other, s.pick);
      if (!bookingId) return;
      try {
        await fx.engine.decide(bookingId, s.decision);
      } catch (error) {
        if (!(error instanceof BookingError)) throw error;
      }
      return;
    }
    case "other-slot":
      other
        .prepare(`UPDATE OR IGNORE slot SET ${s.column} = ? WHERE start_sec = ?`)
        .run(slotValue(s.column, s.value), slotOf(s.hour).startSec);
      return;
    case "other-booking": {
      const bookingId = pickBooking(other, s.pick);
      if (!bookingId) return;
      const sql = {
        status: "UPDATE booking SET status = 'NO_SHOW' WHERE booking_id = ?",
        user: `UPDATE booking SET user_id = '${s.user}' WHERE booking_id = ?`,
        caller:
          "UPDATE booking SET caller = CASE caller WHEN 'partner' THEN 'other-partner' ELSE 'partner' END WHERE booking_id = ?",
        user_json: `UPDATE booking SET user_json = json_set(user_json, '$.givenName', '${s.user}') WHERE booking_id = ?`,
        delete: "DELETE FROM booking WHERE booking_id = ?",
      }[s.change];
      other.prepare(sql).run(bookingId);
      return;
    }
    case "list":
      return;
  }
}

describe("the SQLite user listing cache", () => {
  it("answers every ListBookings as a fresh read on another connection does, whatever writes come between", async () => {
    // Served from memory some of the time, with bookings in it: otherwise the property says nothing of the cache.
    let hits = 0;
    let listed = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 30 }), async (steps) => {
        const fx = await openEngineFixture({
          backend: "sqlite",
          feed: makeFeed(
            hours.map((hour) =>
              makeAvailability({ start_sec: slotOf(hour).startSec, duration_sec: 3600, spots_total: 3, spots_open: 3 }),
            ),
          ),
        });
        const other = openDatabase(fx.url);
        try {
          const truth = createBookingTable(other);
          for (const s of steps) {
            await apply(fx, other, s);
            for (const caller of callers) {
              for (const user of users) {
                const fresh = other.transaction(() => truth.listBookingsOfUser(caller, user))();
                expect(await fx.engine.listBookings(caller, user)).toEqual(fresh);
                listed += fresh.length;
              }
            }
          }
          hits += (fx.storage.bookings as SqliteBookingStore).userListingCache.stats().hits;
        } finally {
          other.close();
          await fx.close();
        }
      }),
      { numRuns: 40 },
    );
    expect(hits).toBeGreaterThan(100);
    expect(listed).toBeGreaterThan(100);
  }, 120_000);
});
