import { afterEach, describe, expect, it } from "vitest";
import { BookingError } from "../../src/booking/booking-error.js";
import type { UpdateBookingOutcome } from "../../src/booking/change-booking.js";
import { testBackends } from "../support/test-database.js";
import { makeCreateBookingInput, makeSlotKey } from "./booking-builders.js";
import { type EngineFixture, openEngineFixture } from "./engine-fixture.js";
import { hoursFromNow, makeAvailability, makeFeed, makePolicies } from "./feed-builders.js";

const start = hoursFromNow(24);
const later = start + 3600;

describe.each(testBackends)("UpdateBooking rules (%s)", async (backend) => {
  let fixture: EngineFixture;
  afterEach(async () => {
    await fixture.close();
  });

  async function book(overrides: Parameters<typeof makeCreateBookingInput>[0] = {}): Promise<string> {
    const outcome = await fixture.engine.createBooking(makeCreateBookingInput(overrides));
    if (outcome.kind !== "created") throw new Error(`booking failed: ${JSON.stringify(outcome)}`);
    return outcome.booking.bookingId;
  }
  const spots = async (startSec: number) =>
    (await fixture.engine.lookupAvailability([makeSlotKey({ startSec })]))[0]?.spotsLeft;
  const kindOf = (o: UpdateBookingOutcome) => (o.kind === "failed" ? o.failure.cause : o.kind);

  async function open(policies?: object) {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([makeAvailability(), makeAvailability({ start_sec: later, spots_total: 2, spots_open: 2 })]),
      ...(policies ? { policies } : {}),
    });
  }

  it("cancels, frees the spot, and answers a repeated cancel with the same cancelled booking", async () => {
    await open();
    const bookingId = await book();
    expect(await spots(start)).toBe(0);
    const first = await fixture.engine.updateBooking({ caller: "partner", bookingId, cancel: true });
    expect(first.kind === "updated" && first.booking.status).toBe("CANCELED");
    expect(await spots(start)).toBe(1);
    const again = await fixture.engine.updateBooking({ caller: "partner", bookingId, cancel: true });
    expect(again.kind).toBe("unchanged");
    expect(again.kind !== "failed" && again.booking).toEqual(first.kind !== "failed" && first.booking);
    expect(await spots(start)).toBe(1);
  });

  it("reschedules by moving the spot between slots, and a move to the same slot changes nothing", async () => {
    await open();
    const bookingId = await book();
    const moved = await fixture.engine.updateBooking({
      caller: "partner",
      bookingId,
      cancel: false,
      reschedule: { startSec: later },
    });
    expect(moved.kind === "updated" && moved.booking.slot.startSec).toBe(later);
    expect([await spots(start), await spots(later)]).toEqual([1, 1]);
    const same = await fixture.engine.updateBooking({
      caller: "partner",
      bookingId,
      cancel: false,
      reschedule: { startSec: later, durationSec: 1800 },
    });
    expect(same.kind).toBe("unchanged");
    expect([await spots(start), await spots(later)]).toEqual([1, 1]);
  });

  it("refuses to move to an unknown or full slot and keeps the booking where it was", async () => {
    await open();
    const bookingId = await book({ slot: makeSlotKey({ startSec: later }) });
    await book();
    expect(
      kindOf(
        await fixture.engine.updateBooking({
          caller: "partner",
          bookingId,
          cancel: false,
          reschedule: { startSec: start },
        }),
      ),
    ).toBe("SLOT_UNAVAILABLE");
    expect(
      kindOf(
        await fixture.engine.updateBooking({
          caller: "partner",
          bookingId,
          cancel: false,
          reschedule: { startSec: start + 60 },
        }),
      ),
    ).toBe("SLOT_UNAVAILABLE");
    expect((await fixture.engine.getBooking(bookingId)).slot.startSec).toBe(later);
    expect(await spots(later)).toBe(1);
  });

  it("changes the party size by moving to the slot of that size", async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([2, 4].map((party_size) => makeAvailability({ resources: { party_size } }))),
    });
    const bookingId = await book({ slot: makeSlotKey({ partySize: 2 }) });
    const resized = await fixture.engine.updateBooking({ caller: "partner", bookingId, cancel: false, partySize: 4 });
    expect(resized.kind === "updated" && resized.booking.slot.partySize).toBe(4);
    expect(
      kindOf(await fixture.engine.updateBooking({ caller: "partner", bookingId, cancel: false, partySize: 6 })),
    ).toBe("SLOT_UNAVAILABLE");
  });

  it("refuses to change a cancelled booking with BOOKING_ALREADY_CANCELLED", async () => {
    await open();
    const bookingId = await book();
    await fixture.engine.updateBooking({ caller: "partner", bookingId, cancel: true });
    const outcome = await fixture.engine.updateBooking({
      caller: "partner",
      bookingId,
      cancel: false,
      reschedule: { startSec: later },
    });
    expect(kindOf(outcome)).toBe("BOOKING_ALREADY_CANCELLED");
  });

  it("refuses to cancel or move too close to the start with OUTSIDE_CANCELLATION_WINDOW", async () => {
    await open(
      makePolicies({ services: [{ merchant_id: "m1", service_id: "s1", min_advance_cancellation_sec: 7200 }] }),
    );
    const bookingId = await book();
    fixture.clock.set(start - 7200 + 1);
    expect(kindOf(await fixture.engine.updateBooking({ caller: "partner", bookingId, cancel: true }))).toBe(
      "OUTSIDE_CANCELLATION_WINDOW",
    );
    expect(
      kindOf(
        await fixture.engine.updateBooking({
          caller: "partner",
          bookingId,
          cancel: false,
          reschedule: { startSec: later },
        }),
      ),
    ).toBe("OUTSIDE_CANCELLATION_WINDOW");
    fixture.clock.set(start - 7200);
    expect(kindOf(await fixture.engine.updateBooking({ caller: "partner", bookingId, cancel: true }))).toBe("updated");
  });

  it("refuses to cancel a booking in a final state with BOOKING_NOT_CANCELLABLE", async () => {
    await open();
    const bookingId = await book();
    await fixture.sql.run("UPDATE booking SET status = 'NO_SHOW' WHERE booking_id = ?", [bookingId]);
    expect(kindOf(await fixture.engine.updateBooking({ caller: "partner", bookingId, cancel: true }))).toBe(
      "BOOKING_NOT_CANCELLABLE",
    );
  });

  it("refuses a move that would overlap another booking of the user when the merchant forbids it", async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([
        makeAvailability(),
        makeAvailability({ start_sec: later }),
        makeAvailability({ start_sec: later, resources: { staff_id: "ann" } }),
      ]),
      policies: makePolicies({ merchants: [{ merchant_id: "m1", forbid_overlapping: true }] }),
    });
    const user = makeCreateBookingInput().user;
    const bookingId = await book({ user });
    await book({ user, slot: makeSlotKey({ startSec: later, staffId: "ann" }) });
    const outcome = await fixture.engine.updateBooking({
      caller: "partner",
      bookingId,
      cancel: false,
      reschedule: { startSec: later },
    });
    expect(kindOf(outcome)).toBe("OVERLAPPING_RESERVATION");
  });

  it("throws BOOKING_NOT_FOUND for a booking that never existed", async () => {
    await open();
    await expect(
      fixture.engine.updateBooking({ caller: "partner", bookingId: "nope", cancel: true }),
    ).rejects.toMatchObject({
      code: "BOOKING_NOT_FOUND",
    });
    await expect(fixture.engine.getBooking("nope")).rejects.toThrow(BookingError);
  });

  it("confirms or declines a pending booking; a decline frees the spot", async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([
        makeAvailability({ spots_total: 2, spots_open: 2, confirmation_mode: "CONFIRMATION_MODE_ASYNCHRONOUS" }),
      ]),
    });
    const confirmed = await book();
    const declined = await book();
    expect((await fixture.engine.decide(confirmed, "confirm")).status).toBe("CONFIRMED");
    expect((await fixture.engine.decide(declined, "decline")).status).toBe("DECLINED_BY_MERCHANT");
    expect(await spots(start)).toBe(1);
    expect((await fixture.engine.decide(declined, "decline")).status).toBe("DECLINED_BY_MERCHANT");
    await expect(fixture.engine.decide(confirmed, "decline")).rejects.toMatchObject({ code: "BOOKING_NOT_PENDING" });
  });
});
