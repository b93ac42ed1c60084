import { afterEach, describe, expect, it } from "vitest";
import type { CreateBookingOutcome } from "../../src/booking/place-booking.js";
import { testBackends } from "../support/test-database.js";
import { makeCreateBookingInput, makeSlotKey } from "./booking-builders.js";
import { type EngineFixture, openEngineFixture } from "./engine-fixture.js";
import { hoursFromNow, makeAvailability, makeFeed, makePolicies } from "./feed-builders.js";

const causeOf = (outcome: CreateBookingOutcome) => (outcome.kind === "failed" ? outcome.failure.cause : outcome.kind);

describe.each(testBackends)("CreateBooking rules (%s)", async (backend) => {
  let fixture: EngineFixture;
  afterEach(async () => {
    await fixture.close();
  });

  it("confirms a synchronous slot and holds the user's data and a spot", async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([makeAvailability({ spots_total: 3, spots_open: 3 })]),
    });
    const outcome = await fixture.engine.createBooking(makeCreateBookingInput());
    expect(outcome.kind).toBe("created");
    if (outcome.kind !== "created") return;
    expect(outcome.booking).toMatchObject({ status: "CONFIRMED", payment: { prepayment: "NOT_PROVIDED" } });
    expect((await fixture.engine.getBooking(outcome.booking.bookingId)).slot.spotsBooked).toBe(1);
  });

  it("leaves an asynchronous slot's booking pending the merchant", async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([makeAvailability({ confirmation_mode: "CONFIRMATION_MODE_ASYNCHRONOUS" })]),
    });
    const outcome = await fixture.engine.createBooking(makeCreateBookingInput());
    expect(outcome.kind === "created" && outcome.booking.status).toBe("PENDING_MERCHANT_CONFIRMATION");
  });

  it("refuses an unknown, past, blocked or full slot with SLOT_UNAVAILABLE", async () => {
    const start = hoursFromNow(24);
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([makeAvailability(), makeAvailability({ start_sec: start + 3600 })]),
    });
    const unknown = makeCreateBookingInput({ slot: makeSlotKey({ startSec: start + 60 }) });
    expect(causeOf(await fixture.engine.createBooking(unknown))).toBe("SLOT_UNAVAILABLE");
    await fixture.block({ merchantId: "m1", kind: "merchant", startSec: start + 3600, endSec: start + 7200 });
    const blocked = makeCreateBookingInput({ slot: makeSlotKey({ startSec: start + 3600 }) });
    expect(causeOf(await fixture.engine.createBooking(blocked))).toBe("SLOT_UNAVAILABLE");
    expect(causeOf(await fixture.engine.createBooking(makeCreateBookingInput()))).toBe("created");
    expect(causeOf(await fixture.engine.createBooking(makeCreateBookingInput()))).toBe("SLOT_UNAVAILABLE");
    fixture.clock.set(start);
    const past = makeCreateBookingInput({ slot: makeSlotKey({ startSec: start }) });
    expect(causeOf(await fixture.engine.createBooking(past))).toBe("SLOT_UNAVAILABLE");
  });

  it("refuses a second booking of the same slot by the same user with SLOT_ALREADY_BOOKED_BY_USER, even when full", async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([makeAvailability({ spots_total: 2, spots_open: 2 })]),
    });
    const user = makeCreateBookingInput().user;
    expect(causeOf(await fixture.engine.createBooking(makeCreateBookingInput({ user })))).toBe("created");
    expect(causeOf(await fixture.engine.createBooking(makeCreateBookingInput({ user })))).toBe(
      "SLOT_ALREADY_BOOKED_BY_USER",
    );
    expect(causeOf(await fixture.engine.createBooking(makeCreateBookingInput()))).toBe("created");
    expect(causeOf(await fixture.engine.createBooking(makeCreateBookingInput({ user })))).toBe(
      "SLOT_ALREADY_BOOKED_BY_USER",
    );
  });

  it("refuses an overlapping booking at a merchant that forbids overlaps with OVERLAPPING_RESERVATION", async () => {
    const start = hoursFromNow(24);
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([
        makeAvailability({ resources: { staff_id: "ann" } }),
        makeAvailability({ start_sec: start + 900, resources: { staff_id: "bob" } }),
        makeAvailability({ start_sec: start + 1800, resources: { staff_id: "bob" } }),
      ]),
      policies: makePolicies({ merchants: [{ merchant_id: "m1", forbid_overlapping: true }] }),
    });
    const user = makeCreateBookingInput().user;
    const at = (startSec: number, staffId: string) =>
      makeCreateBookingInput({ user, slot: makeSlotKey({ startSec, staffId }) });
    expect(causeOf(await fixture.engine.createBooking(at(start, "ann")))).toBe("created");
    expect(causeOf(await fixture.engine.createBooking(at(start + 900, "bob")))).toBe("OVERLAPPING_RESERVATION");
    expect(causeOf(await fixture.engine.createBooking(at(start + 1800, "bob")))).toBe("created");
  });

  it("refuses past the merchant's limit of active bookings per user with USER_OVER_BOOKING_LIMIT", async () => {
    const starts = [24, 25, 26].map(hoursFromNow);
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed(starts.map((start_sec) => makeAvailability({ start_sec }))),
      policies: makePolicies({ merchants: [{ merchant_id: "m1", max_active_bookings_per_user: 2 }] }),
    });
    const user = makeCreateBookingInput().user;
    const at = (startSec: number) => makeCreateBookingInput({ user, slot: makeSlotKey({ startSec }) });
    const first = await fixture.engine.createBooking(at(starts[0] ?? 0));
    expect(causeOf(await fixture.engine.createBooking(at(starts[1] ?? 0)))).toBe("created");
    expect(causeOf(await fixture.engine.createBooking(at(starts[2] ?? 0)))).toBe("USER_OVER_BOOKING_LIMIT");
    if (first.kind !== "created") throw new Error("first booking failed");
    await fixture.engine.updateBooking({ caller: "partner", bookingId: first.booking.bookingId, cancel: true });
    expect(causeOf(await fixture.engine.createBooking(at(starts[2] ?? 0)))).toBe("created");
  });

  it("refuses leases and offers this server never issued", async () => {
    fixture = await openEngineFixture({ backend, feed: makeFeed([makeAvailability()]) });
    expect(causeOf(await fixture.engine.createBooking(makeCreateBookingInput({ leaseId: "l1" })))).toBe(
      "LEASE_EXPIRED",
    );
    expect(causeOf(await fixture.engine.createBooking(makeCreateBookingInput({ offerId: "o1" })))).toBe(
      "OFFER_UNAVAILABLE",
    );
  });

  it("never overbooks under 200 concurrent creates in one process", async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([makeAvailability({ spots_total: 5, spots_open: 5 })]),
    });
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, () => fixture.engine.createBooking(makeCreateBookingInput())),
    );
    expect(outcomes.filter((o) => o.kind === "created")).toHaveLength(5);
    expect(outcomes.filter((o) => causeOf(o) === "SLOT_UNAVAILABLE")).toHaveLength(195);
    const count = await fixture.sql.value("SELECT COUNT(*) FROM booking");
    expect(count).toBe(5);
  });
});
