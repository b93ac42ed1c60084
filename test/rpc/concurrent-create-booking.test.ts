import { afterEach, describe, expect, it } from "vitest";
import { makeAvailability, makeFeed, makePolicies } from "../booking/feed-builders.js";
import { type BookingServerFixture, startBookingServer } from "../support/booking-server.js";
import { testBackends } from "../support/test-database.js";
import { makeCreateBookingRequest } from "./request-builders.js";

describe.each(testBackends)("CreateBooking under concurrent load over REST (%s)", (backend) => {
  let fixture: BookingServerFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  const countBookings = async () => await fixture?.sql.value("SELECT COUNT(*) FROM booking");

  it.each([
    [1, 199],
    [5, 195],
  ])("books exactly %i of 200 concurrent requests for a slot with that many spots", async (spots, refused) => {
    fixture = await startBookingServer({
      backend,
      feed: makeFeed([makeAvailability({ spots_total: spots, spots_open: spots })]),
    });
    const server = fixture;
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => server.rest("CreateBooking", makeCreateBookingRequest())),
    );
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const booked = answers.filter((a) => a.json.booking);
    expect(booked).toHaveLength(spots);
    expect(new Set(booked.map((a) => a.json.booking.booking_id)).size).toBe(spots);
    const refusals = answers.filter((a) => a.json.booking_failure);
    expect(refusals).toHaveLength(refused);
    for (const refusal of refusals)
      expect(refusal.json).toEqual({ booking_failure: { cause: "SLOT_UNAVAILABLE", description: "slot is full" } });
    expect(await countBookings()).toBe(spots);
  });

  it("answers 100 concurrent requests with one token with one booking, one charge and 100 identical bodies", async () => {
    fixture = await startBookingServer({
      backend,
      feed: makeFeed([makeAvailability({ spots_total: 10, spots_open: 10 })]),
      policies: makePolicies({
        services: [
          { merchant_id: "m1", service_id: "s1", prepayment: { price_micros: 12_500_000, currency_code: "USD" } },
        ],
      }),
    });
    const server = fixture;
    const request = makeCreateBookingRequest();
    const answers = await Promise.all(Array.from({ length: 100 }, () => server.rest("CreateBooking", request)));
    const bodies = new Set(answers.map((a) => a.text));
    expect(bodies.size).toBe(1);
    expect(answers[0]?.json.booking).toMatchObject({
      status: "CONFIRMED",
      payment_information: {
        prepayment_status: "PREPAYMENT_PROVIDED",
        price: { price_micros: "12500000", currency_code: "USD" },
      },
    });
    expect(answers.filter((a) => a.headers.get("idempotent-replayed") === "true")).toHaveLength(99);
    expect(await countBookings()).toBe(1);
    const charges = await server.sql.rows("SELECT kind, amount_micros FROM payment_ledger");
    expect(charges).toEqual([{ kind: "charge", amount_micros: 12_500_000 }]);
  });
});
