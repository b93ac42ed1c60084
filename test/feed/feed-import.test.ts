import { afterEach, describe, expect, it } from "vitest";
import { FeedRejectedError } from "../../src/feed/feed-issues.js";
import { makeCreateBookingInput, makeSlotKey } from "../booking/booking-builders.js";
import { type EngineFixture, openEngineFixture } from "../booking/engine-fixture.js";
import { hoursFromNow, makeAvailability, makeFeed, makePolicies } from "../booking/feed-builders.js";
import { testBackends } from "../support/test-database.js";

const day = 86_400;
const start = hoursFromNow(24);

describe.each(testBackends)("feed import (%s)", async (backend) => {
  let fixture: EngineFixture;
  afterEach(async () => {
    await fixture.close();
  });

  const slotStarts = async () =>
    await fixture.sql.column("SELECT start_sec FROM slot WHERE in_feed = 1 ORDER BY start_sec");

  it("expands a recurrence up to repeat_until_sec inclusive, minus schedule exceptions", async () => {
    fixture = await openEngineFixture({ backend });
    const report = await fixture.importFeed(
      makeFeed([
        makeAvailability({
          start_sec: String(start),
          duration_sec: "1800",
          recurrence: { repeat_until_sec: start + 6 * day, repeat_every_sec: day },
          schedule_exception: [{ time_range: { begin_sec: start + 2 * day + 900, end_sec: start + 4 * day } }],
        }),
      ]),
    );
    expect(await slotStarts()).toEqual([0, 1, 4, 5, 6].map((d) => start + d * day));
    expect(report).toMatchObject({ slots: 5, inserted: 5, entries: 1 });
  });

  it("loads resources, spots, tags, confirmation modes and policies", async () => {
    fixture = await openEngineFixture({ backend });
    await fixture.importFeed(
      makeFeed([
        makeAvailability({
          spots_total: 10,
          spots_open: 7,
          availability_tag: "tag-1",
          resources: { staff_id: "ann", room_id: "r1", party_size: 4 },
          confirmation_mode: "CONFIRMATION_MODE_ASYNCHRONOUS",
        }),
      ]),
      makePolicies({
        merchants: [
          { merchant_id: "m1", time_zone: "Europe/Paris", max_active_bookings_per_user: 2, forbid_overlapping: true },
        ],
        services: [{ merchant_id: "m1", service_id: "s1", prepayment: { price_micros: 5, currency_code: "EUR" } }],
      }),
    );
    const [verdict] = await fixture.engine.lookupAvailability([
      makeSlotKey({ staffId: "ann", roomId: "r1", partySize: 4 }),
    ]);
    expect(verdict).toMatchObject({
      bookable: true,
      spotsLeft: 7,
      slot: { availabilityTag: "tag-1", confirmationMode: "ASYNCHRONOUS" },
    });
    const merchant = await fixture.storage.bookings.read((r) => r.merchantPolicy("m1"));
    expect(merchant).toMatchObject({ timeZone: "Europe/Paris", maxActiveBookingsPerUser: 2, forbidOverlapping: true });
  });

  it("rejects a bad feed naming every offending value and changes nothing", async () => {
    fixture = await openEngineFixture({ backend, feed: makeFeed([makeAvailability()]) });
    const before = await fixture.sql.rows("SELECT * FROM slot");
    const feedText = [
      "{",
      '  "metadata": {"processing_instruction": "PROCESS_AS_COMPLETE"},',
      '  "service_availability": [{"availability": [',
      `    {"merchant_id": "m1", "service_id": "s1", "start_sec": ${start + day}, "duration_sec": 1800, "spots_total": 1},`,
      `    {"merchant_id": "m1", "service_id": "s1", "start_sec": "soon", "duration_sec": 1800, "spots_total": 1},`,
      `    {"merchant_id": "m1", "service_id": "s1", "start_sec": ${start}, "duration_sec": -5, "spots_total": 2, "spots_open": 3},`,
      `    {"merchant_id": "m1", "service_id": "s1", "start_sec": ${start}, "duration_sec": 900, "spots_total": 1, "confirmation_mode": "constructor"}`,
      "  ]}]",
      "}",
    ].join("\n");
    let error: unknown;
    try {
      await fixture.importFeed(JSON.parse(feedText) as object);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FeedRejectedError);
    const issues = (error as FeedRejectedError).issues.map((i) => i.path);
    expect(issues).toEqual([
      "service_availability[0].availability[1].start_sec",
      "service_availability[0].availability[2].duration_sec",
      "service_availability[0].availability[2].spots_open",
      "service_availability[0].availability[3].confirmation_mode",
    ]);
    expect(await fixture.sql.rows("SELECT * FROM slot")).toEqual(before);
  });

  it("replaces future slots on a complete re-import, keeping a vanished slot with bookings for them only", async () => {
    const other = start + 3600;
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([makeAvailability({ spots_total: 2, spots_open: 2 }), makeAvailability({ start_sec: other })]),
    });
    const booked = await fixture.engine.createBooking(makeCreateBookingInput());
    if (booked.kind !== "created") throw new Error("booking failed");
    const report = await fixture.importFeed(makeFeed([makeAvailability({ start_sec: start + 7200 })]));
    expect(report).toMatchObject({ inserted: 1, deleted: 1, withdrawn: 1 });
    expect(await fixture.engine.getBooking(booked.booking.bookingId)).toMatchObject({
      status: "CONFIRMED",
      slot: { startSec: start, inFeed: false },
    });
    expect((await fixture.engine.lookupAvailability([makeSlotKey()]))[0]).toMatchObject({
      bookable: false,
      reason: "withdrawn",
    });
    const retry = await fixture.engine.createBooking(makeCreateBookingInput());
    expect(retry.kind === "failed" && retry.failure.cause).toBe("SLOT_UNAVAILABLE");
  });

  it("counts a feed's spots_open as already including this server's bookings, so re-imports are stable", async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([makeAvailability({ spots_total: 5, spots_open: 5 })]),
    });
    await fixture.engine.createBooking(makeCreateBookingInput());
    await fixture.engine.createBooking(makeCreateBookingInput());
    await fixture.importFeed(makeFeed([makeAvailability({ spots_total: 5, spots_open: 3 })]));
    expect((await fixture.engine.lookupAvailability([makeSlotKey()]))[0]?.spotsLeft).toBe(3);
    await fixture.importFeed(makeFeed([makeAvailability({ spots_total: 5, spots_open: 2 })]));
    expect((await fixture.engine.lookupAvailability([makeSlotKey()]))[0]?.spotsLeft).toBe(2);
  });

  it("touches only the named services on an incremental import, within the block's time restriction", async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([
        makeAvailability(),
        makeAvailability({ start_sec: start + day }),
        makeAvailability({ service_id: "s2" }),
      ]),
    });
    await fixture.importFeed(
      makeFeed([makeAvailability({ start_sec: start + 600 })], {
        instruction: "PROCESS_AS_INCREMENTAL",
        block: { start_time_restrict: start, end_time_restrict: start + day },
      }),
    );
    const rows = await fixture.sql.rows("SELECT service_id, start_sec FROM slot ORDER BY service_id, start_sec");
    expect(rows).toEqual([
      { service_id: "s1", start_sec: start + 600 },
      { service_id: "s1", start_sec: start + day },
      { service_id: "s2", start_sec: start },
    ]);
  });

  it("writes only the slots a re-import changes, and brings back a withdrawn slot the feed offers again", async () => {
    const feed = (spotsOpen: number, starts: number[]) =>
      makeFeed(starts.map((s) => makeAvailability({ start_sec: s, spots_total: 3, spots_open: spotsOpen })));
    fixture = await openEngineFixture({ backend, feed: feed(3, [start, start + day]) });
    const booked = await fixture.engine.createBooking(makeCreateBookingInput());
    expect(booked.kind).toBe("created");
    const rows = () =>
      fixture.sql.rows("SELECT start_sec, spots_total, spots_external, in_feed FROM slot ORDER BY start_sec");
    const versions = () => (backend === "sqlite" ? fixture.sql.rows("SELECT * FROM availability_version") : []);
    const [firstRows, firstVersions] = [await rows(), await versions()];
    expect(await fixture.importFeed(feed(3, [start, start + day]))).toMatchObject({ updated: 2, withdrawn: 0 });
    expect(await rows()).toEqual(firstRows);
    // Nothing changed, so no lookup's cached day went stale.
    expect(await versions()).toEqual(firstVersions);

    await fixture.importFeed(feed(1, [start + day]));
    expect(await rows()).toEqual([
      { start_sec: start, spots_total: 3, spots_external: 0, in_feed: 0 },
      { start_sec: start + day, spots_total: 3, spots_external: 2, in_feed: 1 },
    ]);
    expect(await fixture.importFeed(feed(2, [start, start + day]))).toMatchObject({ updated: 2, withdrawn: 0 });
    expect(await rows()).toEqual([
      { start_sec: start, spots_total: 3, spots_external: 0, in_feed: 1 },
      { start_sec: start + day, spots_total: 3, spots_external: 1, in_feed: 1 },
    ]);
    expect((await fixture.engine.lookupAvailability([makeSlotKey()]))[0]).toMatchObject({
      bookable: true,
      spotsLeft: 2,
    });
  });

  it("skips slots that already started and leaves past slots alone", async () => {
    fixture = await openEngineFixture({ backend });
    const report = await fixture.importFeed(
      makeFeed([makeAvailability({ start_sec: hoursFromNow(-2) }), makeAvailability()]),
    );
    expect(report).toMatchObject({ skippedPast: 1, inserted: 1 });
  });

  it("rejects an invalid policies file with positions", async () => {
    fixture = await openEngineFixture({ backend });
    await expect(
      fixture.importFeed(
        makeFeed([makeAvailability()]),
        makePolicies({ merchants: [{ merchant_id: "m1", time_zone: "Mars/Olympus" }] }),
      ),
    ).rejects.toThrow(
      /policies\.json:\d+:\d+: "Mars\/Olympus" is not an IANA time zone \(at merchants\[0\]\.time_zone\)/,
    );
  });
});
