import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hoursFromNow, makeAvailability, makeFeed, makePolicies } from "../booking/feed-builders.js";
import { type BookingServerFixture, type RestAnswer, startBookingServer } from "../support/booking-server.js";
import { testBackends } from "../support/test-database.js";
import { makeCreateBookingRequest, makeSlot } from "./request-builders.js";

const t = hoursFromNow(48);
const slot = (merchant_id: string, service_id: string, start: number, staff_id = "") =>
  makeSlot({ merchant_id, service_id, start_sec: String(start), ...(staff_id ? { resources: { staff_id } } : {}) });

/** Every failure must come back as HTTP 200 carrying booking_failure and nothing else. */
function expectFailure(answer: RestAnswer, cause: string): void {
  expect(answer.status).toBe(200);
  expect(Object.keys(answer.json)).toEqual(["booking_failure"]);
  expect(answer.json.booking_failure.cause).toBe(cause);
}

describe.each(testBackends)("every failure cause of the design, over REST (%s)", (backend) => {
  let fx: BookingServerFixture;

  beforeAll(async () => {
    fx = await startBookingServer({
      backend,
      feed: makeFeed([
        makeAvailability({ merchant_id: "gym", service_id: "class", start_sec: t, spots_total: 10, spots_open: 10 }),
        makeAvailability({
          merchant_id: "gym",
          service_id: "class",
          start_sec: t + 3600,
          spots_total: 10,
          spots_open: 10,
        }),
        makeAvailability({ merchant_id: "strict", service_id: "cut", start_sec: t, resources: { staff_id: "ann" } }),
        makeAvailability({
          merchant_id: "strict",
          service_id: "cut",
          start_sec: t + 900,
          resources: { staff_id: "bob" },
        }),
        makeAvailability({ merchant_id: "limited", service_id: "dinner", start_sec: t }),
        makeAvailability({ merchant_id: "limited", service_id: "dinner", start_sec: t + 86_400 }),
        makeAvailability({ merchant_id: "gym", service_id: "late", start_sec: t, spots_total: 10, spots_open: 10 }),
        makeAvailability({ merchant_id: "gym", service_id: "paid", start_sec: t, spots_total: 10, spots_open: 10 }),
      ]),
      policies: makePolicies({
        merchants: [
          { merchant_id: "strict", forbid_overlapping: true },
          { merchant_id: "limited", max_active_bookings_per_user: 1 },
        ],
        services: [
          { merchant_id: "gym", service_id: "late", min_advance_cancellation_sec: 30 * 86_400 },
          { merchant_id: "gym", service_id: "paid", prepayment: { price_micros: 9_000_000, currency_code: "EUR" } },
        ],
      }),
    });
  });
  afterAll(async () => {
    await fx.close();
  });

  const create = (overrides: Record<string, unknown>) => fx.rest("CreateBooking", makeCreateBookingRequest(overrides));
  const book = async (overrides: Record<string, unknown>): Promise<string> => {
    const answer = await create(overrides);
    expect(answer.json.booking?.booking_id, answer.text).toBeTypeOf("string");
    return answer.json.booking.booking_id as string;
  };
  const user = (id: string) => ({ ...(makeCreateBookingRequest().user_information as object), user_id: id });

  it("SLOT_UNAVAILABLE for a slot the inventory does not have", async () => {
    expectFailure(await create({ slot: slot("gym", "class", t + 60) }), "SLOT_UNAVAILABLE");
  });

  it("SLOT_ALREADY_BOOKED_BY_USER when the user holds the slot already", async () => {
    await book({ slot: slot("gym", "class", t), user_information: user("twice") });
    expectFailure(
      await create({ slot: slot("gym", "class", t), user_information: user("twice") }),
      "SLOT_ALREADY_BOOKED_BY_USER",
    );
  });

  it("OVERLAPPING_RESERVATION at a merchant that forbids overlapping bookings", async () => {
    await book({ slot: slot("strict", "cut", t, "ann"), user_information: user("overlap") });
    expectFailure(
      await create({ slot: slot("strict", "cut", t + 900, "bob"), user_information: user("overlap") }),
      "OVERLAPPING_RESERVATION",
    );
  });

  it("USER_OVER_BOOKING_LIMIT past the merchant's active booking limit", async () => {
    await book({ slot: slot("limited", "dinner", t), user_information: user("limit") });
    expectFailure(
      await create({ slot: slot("limited", "dinner", t + 86_400), user_information: user("limit") }),
      "USER_OVER_BOOKING_LIMIT",
    );
  });

  it("OUTSIDE_CANCELLATION_WINDOW when cancelling later than the service allows", async () => {
    const bookingId = await book({ slot: slot("gym", "late", t) });
    expectFailure(
      await fx.rest("UpdateBooking", { booking: { booking_id: bookingId, status: "CANCELED" } }),
      "OUTSIDE_CANCELLATION_WINDOW",
    );
  });

  it("BOOKING_ALREADY_CANCELLED when changing a cancelled booking", async () => {
    const bookingId = await book({ slot: slot("gym", "class", t) });
    await fx.rest("UpdateBooking", { booking: { booking_id: bookingId, status: "CANCELED" } });
    const move = { booking: { booking_id: bookingId, slot: { start_sec: String(t + 3600), duration_sec: "1800" } } };
    expectFailure(await fx.rest("UpdateBooking", move), "BOOKING_ALREADY_CANCELLED");
  });

  it("BOOKING_NOT_CANCELLABLE for a booking in a final state", async () => {
    const bookingId = await book({ slot: slot("gym", "class", t) });
    await fx.sql.run("UPDATE booking SET status = 'NO_SHOW' WHERE booking_id = ?", [bookingId]);
    expectFailure(
      await fx.rest("UpdateBooking", { booking: { booking_id: bookingId, status: "CANCELED" } }),
      "BOOKING_NOT_CANCELLABLE",
    );
  });

  it.each([
    "PAYMENT_ERROR_CARD_DECLINED",
    "PAYMENT_ERROR_CARD_TYPE_REJECTED",
    "PAYMENT_OPTION_NOT_VALID",
    "PAYMENT_ERROR",
    "USER_CANNOT_USE_PAYMENT_OPTION",
  ])("%s from the payment processor, with nothing charged", async (cause) => {
    const answer = await create({
      slot: slot("gym", "paid", t),
      payment_processing_parameters: { unparsed_payment_method_token: `test:decline:${cause}:DISCOVER` },
    });
    expectFailure(answer, cause);
    if (cause === "PAYMENT_ERROR_CARD_TYPE_REJECTED")
      expect(answer.json.booking_failure.rejected_card_type).toBe("DISCOVER");
    expect(await fx.sql.value("SELECT COUNT(*) FROM payment_ledger")).toBe(0);
  });

  it.each(["0", "3", "constructor", "toString", "__proto__", "visa"])(
    "PAYMENT_ERROR_CARD_TYPE_REJECTED naming no card type the contract has (%s) answers CREDIT_CARD_TYPE_UNSPECIFIED",
    async (cardType) => {
      const answer = await create({
        slot: slot("gym", "paid", t),
        payment_processing_parameters: {
          unparsed_payment_method_token: `test:decline:PAYMENT_ERROR_CARD_TYPE_REJECTED:${cardType}`,
        },
      });
      expectFailure(answer, "PAYMENT_ERROR_CARD_TYPE_REJECTED");
      // Unspecified is the zero value, which proto3 JSON leaves out.
      expect(answer.json.booking_failure.rejected_card_type).toBeUndefined();
    },
  );

  it("LEASE_EXPIRED and OFFER_UNAVAILABLE for leases and offers this server never issued", async () => {
    expectFailure(await create({ slot: slot("gym", "class", t), lease_ref: { lease_id: "l1" } }), "LEASE_EXPIRED");
    expectFailure(await create({ slot: slot("gym", "class", t), offer_id: "o1" }), "OFFER_UNAVAILABLE");
  });

  it("400 INVALID_ARGUMENT naming every missing or bad field before doing anything", async () => {
    const answer = await fx.rest("CreateBooking", {
      slot: { merchant_id: "gym", start_sec: "0", duration_sec: "-5" },
      user_information: { given_name: "x" },
    });
    expect(answer.status).toBe(400);
    expect(answer.json.error.status).toBe("INVALID_ARGUMENT");
    const locations = answer.json.error.errors.map((e: { location: string }) => e.location);
    expect(locations).toEqual(
      expect.arrayContaining([
        "slot.service_id",
        "slot.start_sec",
        "slot.duration_sec",
        "user_information.user_id",
        "idempotency_token",
      ]),
    );
    expect(await fx.sql.value("SELECT COUNT(*) FROM booking WHERE merchant_id = 'gym' AND user_id = ''")).toBe(0);
  });

  it("400 IDEMPOTENCY_TOKEN_REUSED for the same token with a different request, creating nothing", async () => {
    const request = makeCreateBookingRequest({ slot: slot("gym", "class", t + 3600) });
    expect((await fx.rest("CreateBooking", request)).json.booking).toBeDefined();
    const before = await fx.sql.value("SELECT COUNT(*) FROM booking");
    const answer = await fx.rest("CreateBooking", { ...request, additional_request: "window seat" });
    expect(answer.status).toBe(400);
    expect(answer.json.error.details[0]).toMatchObject({ reason: "IDEMPOTENCY_TOKEN_REUSED" });
    expect(await fx.sql.value("SELECT COUNT(*) FROM booking")).toBe(before);
  });

  it("400 BOOKING_NOT_FOUND for a booking that never existed", async () => {
    for (const [method, body] of [
      ["UpdateBooking", { booking: { booking_id: "never", status: "CANCELED" } }],
      ["GetBookingStatus", { booking_id: "never" }],
    ] as const) {
      const answer = await fx.rest(method, body);
      expect(answer.status).toBe(400);
      expect(answer.json.error.details[0]).toMatchObject({ reason: "BOOKING_NOT_FOUND" });
    }
  });
});
