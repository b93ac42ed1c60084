import { afterEach, describe, expect, it } from "vitest";
import { FeedRejectedError } from "../../src/feed/feed-issues.js";
import { makeCreateBookingInput, makeSlotKey } from "../booking/booking-builders.js";
import { type EngineFixture, openEngineFixture } from "../booking/engine-fixture.js";
import { hoursFromNow, makeAvailability, makeFeed, makePolicies } from "../booking/feed-builders.js";

const day = 86_400;
const start = hoursFromNow(24);

describe("feed import", () => {
  let fixture: EngineFixture;
  afterEach(async () => {
    await fixture.close();
  });

  const slotStarts = () =>
    fixture.db.prepare("SELECT start_sec FROM slot WHERE in_feed = 1 ORDER BY start_sec").pluck().all();

  it("expands a recurrence up to repeat_until_sec inclusive, minus schedule exceptions", () => {
    fixture = openEngineFixture();
    const report = fixture.importFeed(
      makeFeed([
        makeAvailability({
          start_sec: String(start),
          duration_sec: "1800",
          recurrence: { repeat_until_sec: start + 6 * day, repeat_every_sec: day },
          schedule_exception: [{ time_range: { begin_sec: start + 2 * day + 900, end_sec: start + 4 * day } }],
        }),
      ]),
    );
    expect(slotStarts()).toEqual([0, 1, 4, 5, 6].map((d) => start + d * day));
    expect(report).toMatchObject({ slots: 5, inserted: 5, entries: 1 });
  });

  it("loads resources, spots, tags, confirmation modes and policies", () => {
    fixture = openEngineFixture();
    fixture.importFeed(
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
    const [verdict] = fixture.engine.lookupAvailability([makeSlotKey({ staffId: "ann", roomId: "r1", partySize: 4 })]);
    expect(verdict).toMatchObject({
      bookable: true,
      spotsLeft: 7,
      slot: { availabilityTag: "tag-1", confirmationMode: "ASYNCHRONOUS" },
    });
    const merchant = fixture.store.read((r) => r.merchantPolicy("m1"));
    expect(merchant).toMatchObject({ timeZone: "Europe/Paris", maxActiveBookingsPerUser: 2, forbidOverlapping: true });
  });

  it("rejects a bad feed naming every offending value and changes nothing", () => {
    fixture = openEngineFixture({ feed: makeFeed([makeAvailability()]) });
    const before = fixture.db.prepare("SELECT * FROM slot").all();
    const feedText = [
      "{",
      '  "metadata": {"processing_instruction": "PROCESS_AS_COMPLETE"},',
      '  "service_availability": [{"availability": [',
      `    {"merchant_id": "m1", "service_id": "s1", "start_sec": ${start + day}, "duration_sec": 1800, "spots_total": 1},`,
      `    {"merchant_id": "m1", "service_id": "s1", "start_sec": "soon", "duration_sec": 1800, "spots_total": 1},`,
      `    {"merchant_id": "m1", "service_id": "s1", "start_sec": ${start}, "duration_sec": -5, "spots_total": 2, "spots_open": 3}`,
      "  ]}]",
      "}",
    ].join("\n");
    let error: unknown;
    try {
      fixture.importFeed(JSON.parse(feedText) as object);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FeedRejectedError);
    const issues = (error as FeedRejectedError).issues.map((i) => i.path);
    expect(issues).toEqual([
      "service_availability[0].availability[1].start_sec",
      "service_availability[0].availability[2].duration_sec",
      "service_availability[0].availability[2].spots_open",
    ]);
    expect(fixture.db.prepare("SELECT * FROM slot").all()).toEqual(before);
  });

  it("replaces future slots on a complete re-import, keeping a vanished slot with bookings for them only", async () => {
    const other = start + 3600;
    fixture = openEngineFixture({
      feed: makeFeed([makeAvailability({ spots_total: 2, spots_open: 2 }), makeAvailability({ start_sec: other })]),
    });
    const booked = await fixture.engine.createBooking(makeCreateBookingInput());
    if (booked.kind !== "created") throw new Error("booking failed");
    const report = fixture.importFeed(makeFeed([makeAvailability({ start_sec: start + 7200 })]));
    expect(report).toMatchObject({ inserted: 1, deleted: 1, withdrawn: 1 });
    expect(fixture.engine.getBooking(booked.booking.bookingId)).toMatchObject({
      status: "CONFIRMED",
      slot: { startSec: start, inFeed: false },
    });
    expect(fixture.engine.lookupAvailability([makeSlotKey()])[0]).toMatchObject({
      bookable: false,
      reason: "withdrawn",
    });
    const retry = await fixture.engine.createBooking(makeCreateBookingInput());
    expect(retry.kind === "failed" && retry.failure.cause).toBe("SLOT_UNAVAILABLE");
  });

  it("counts a feed's spots_open as already including this server's bookings, so re-imports are stable", async () => {
    fixture = openEngineFixture({ feed: makeFeed([makeAvailability({ spots_total: 5, spots_open: 5 })]) });
    await fixture.engine.createBooking(makeCreateBookingInput());
    await fixture.engine.createBooking(makeCreateBookingInput());
    fixture.importFeed(makeFeed([makeAvailability({ spots_total: 5, spots_open: 3 })]));
    expect(fixture.engine.lookupAvailability([makeSlotKey()])[0]?.spotsLeft).toBe(3);
    fixture.importFeed(makeFeed([makeAvailability({ spots_total: 5, spots_open: 2 })]));
    expect(fixture.engine.lookupAvailability([makeSlotKey()])[0]?.spotsLeft).toBe(2);
  });

  it("touches only the named services on an incremental import, within the block's time restriction", () => {
    fixture = openEngineFixture({
      feed: makeFeed([
        makeAvailability(),
        makeAvailability({ start_sec: start + day }),
        makeAvailability({ service_id: "s2" }),
      ]),
    });
    fixture.importFeed(
      makeFeed([makeAvailability({ start_sec: start + 600 })], {
        instruction: "PROCESS_AS_INCREMENTAL",
        block: { start_time_restrict: start, end_time_restrict: start + day },
      }),
    );
    const rows = fixture.db
      .prepare("SELECT service_id, start_sec FROM slot ORDER BY service_id, start_sec")
      .raw()
      .all();
    expect(rows).toEqual([
      ["s1", start + 600],
      ["s1", start + day],
      ["s2", start],
    ]);
  });

  it("skips slots that already started and leaves past slots alone", () => {
    fixture = openEngineFixture();
    const report = fixture.importFeed(
      makeFeed([makeAvailability({ start_sec: hoursFromNow(-2) }), makeAvailability()]),
    );
    expect(report).toMatchObject({ skippedPast: 1, inserted: 1 });
  });

  it("rejects an invalid policies file with positions", () => {
    fixture = openEngineFixture();
    expect(() =>
      fixture.importFeed(
        makeFeed([makeAvailability()]),
        makePolicies({ merchants: [{ merchant_id: "m1", time_zone: "Mars/Olympus" }] }),
      ),
    ).toThrow(/policies\.json:\d+:\d+: "Mars\/Olympus" is not an IANA time zone \(at merchants\[0\]\.time_zone\)/);
  });
});
