import { afterEach, describe, expect, it } from "vitest";
import { hoursFromNow, makeAvailability, makeFeed, makePolicies } from "../booking/feed-builders.js";
import { type BookingServerFixture, startBookingServer } from "../support/booking-server.js";
import { testBackends } from "../support/test-database.js";
import { makeCreateBookingRequest, makeSlot } from "./request-builders.js";

const start = hoursFromNow(72);
const later = start + 3600;

describe.each(testBackends)("UpdateBooking, GetBookingStatus and ListBookings over REST (%s)", (backend) => {
  let fx: BookingServerFixture | undefined;
  afterEach(async () => {
    await fx?.close();
    fx = undefined;
  });

  async function open(): Promise<BookingServerFixture> {
    fx = await startBookingServer({
      backend,
      feed: makeFeed([
        makeAvailability({ start_sec: start, spots_total: 2, spots_open: 2 }),
        makeAvailability({ start_sec: later, spots_total: 2, spots_open: 2 }),
        makeAvailability({ service_id: "dinner", start_sec: start, resources: { party_size: 2 } }),
        makeAvailability({ service_id: "dinner", start_sec: start, resources: { party_size: 4 } }),
        makeAvailability({ service_id: "paid", start_sec: start }),
      ]),
      policies: makePolicies({
        services: [
          {
            merchant_id: "m1",
            service_id: "paid",
            prepayment: { price_micros: 1_000_000, currency_code: "EUR" },
            refund_window_sec: 3600,
          },
        ],
      }),
    });
    return fx;
  }

  it("cancels once, answers a repeated cancel with the same booking, and reports CANCELED", async () => {
    const server = await open();
    const created = await server.rest(
      "CreateBooking",
      makeCreateBookingRequest({ slot: makeSlot({ start_sec: String(start) }) }),
    );
    const bookingId = created.json.booking.booking_id as string;
    const cancel = { booking: { booking_id: bookingId, status: "CANCELED" } };
    const first = await server.rest("UpdateBooking", cancel);
    const second = await server.rest("UpdateBooking", cancel);
    expect(first.json.booking).toEqual({ ...created.json.booking, status: "CANCELED" });
    expect(second.text).toBe(first.text);
    const status = await server.rest("GetBookingStatus", { booking_id: bookingId });
    expect(status.json).toEqual({
      booking_id: bookingId,
      booking_status: "CANCELED",
      prepayment_status: "PREPAYMENT_NOT_PROVIDED",
    });
  });

  it("reschedules by start and duration, and a repeat of the same move changes nothing", async () => {
    const server = await open();
    const created = await server.rest(
      "CreateBooking",
      makeCreateBookingRequest({ slot: makeSlot({ start_sec: String(start) }) }),
    );
    const bookingId = created.json.booking.booking_id as string;
    const move = { booking: { booking_id: bookingId, slot: { start_sec: String(later), duration_sec: "1800" } } };
    const moved = await server.rest("UpdateBooking", move);
    expect(moved.json.booking.slot.start_sec).toBe(String(later));
    expect((await server.rest("UpdateBooking", move)).text).toBe(moved.text);
    const lookup = await server.rest("BatchAvailabilityLookup", {
      merchant_id: "m1",
      slot_time: [start, later].map((s) => ({ service_id: "s1", start_sec: String(s), duration_sec: "1800" })),
    });
    const spots = async (s: number) =>
      (
        await server.engine.lookupAvailability([
          { merchantId: "m1", serviceId: "s1", startSec: s, durationSec: 1800, staffId: "", roomId: "", partySize: 0 },
        ])
      )[0]?.spotsLeft;
    expect(lookup.json.slot_time_availability.map((a: { available?: boolean }) => a.available === true)).toEqual([
      true,
      true,
    ]);
    expect([await spots(start), await spots(later)]).toEqual([2, 1]);
  });

  it("changes a dining party size", async () => {
    const server = await open();
    const dinner = makeSlot({ service_id: "dinner", start_sec: String(start), resources: { party_size: 2 } });
    const created = await server.rest("CreateBooking", makeCreateBookingRequest({ slot: dinner }));
    const bookingId = created.json.booking.booking_id as string;
    const resized = await server.rest("UpdateBooking", {
      booking: { booking_id: bookingId, slot: { resources: { party_size: 4 } } },
    });
    expect(resized.json.booking.slot.resources).toEqual({ party_size: 4 });
  });

  it("refunds a prepaid booking cancelled inside the refund window, once", async () => {
    const server = await open();
    const created = await server.rest(
      "CreateBooking",
      makeCreateBookingRequest({ slot: makeSlot({ service_id: "paid", start_sec: String(start) }) }),
    );
    expect(created.json.booking.payment_information).toMatchObject({
      prepayment_status: "PREPAYMENT_PROVIDED",
      payment_processed_by: "PROCESSED_BY_PARTNER",
    });
    const bookingId = created.json.booking.booking_id as string;
    const cancelled = await server.rest("UpdateBooking", { booking: { booking_id: bookingId, status: "CANCELED" } });
    expect(cancelled.json.booking.payment_information.prepayment_status).toBe("PREPAYMENT_REFUNDED");
    await server.rest("UpdateBooking", { booking: { booking_id: bookingId, status: "CANCELED" } });
    const kinds = await server.sql.column("SELECT kind FROM payment_ledger ORDER BY entry_id");
    expect(kinds).toEqual(["charge", "refund"]);
    expect((await server.rest("GetBookingStatus", { booking_id: bookingId })).json.prepayment_status).toBe(
      "PREPAYMENT_REFUNDED",
    );
  });

  it("lists every booking of a user, oldest first, in every status", async () => {
    const server = await open();
    const user = makeCreateBookingRequest().user_information as { user_id: string };
    const first = await server.rest(
      "CreateBooking",
      makeCreateBookingRequest({ user_information: user, slot: makeSlot({ start_sec: String(later) }) }),
    );
    server.clock.advance(1);
    const second = await server.rest(
      "CreateBooking",
      makeCreateBookingRequest({ user_information: user, slot: makeSlot({ start_sec: String(start) }) }),
    );
    await server.rest("UpdateBooking", { booking: { booking_id: first.json.booking.booking_id, status: "CANCELED" } });
    const listed = await server.rest("ListBookings", { user_id: user.user_id });
    expect(listed.json.bookings.map((b: { booking_id: string; status: string }) => [b.booking_id, b.status])).toEqual([
      [first.json.booking.booking_id, "CANCELED"],
      [second.json.booking.booking_id, "CONFIRMED"],
    ]);
    expect(await server.rest("ListBookings", { user_id: "nobody" })).toMatchObject({ status: 200, text: "{}" });
  });

  it("rejects an update that names no change, or a status other than CANCELED", async () => {
    const server = await open();
    for (const booking of [{ booking_id: "b" }, { booking_id: "b", status: "CONFIRMED" }, { status: "CANCELED" }]) {
      const answer = await server.rest("UpdateBooking", { booking });
      expect(answer.status, JSON.stringify(booking)).toBe(400);
    }
  });
});
