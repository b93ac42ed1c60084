import { afterEach, describe, expect, it } from "vitest";
import { testBackends } from "../support/test-database.js";
import { makeCreateBookingInput, makeSlotKey } from "./booking-builders.js";
import { type EngineFixture, openEngineFixture } from "./engine-fixture.js";
import { hoursFromNow, makeAvailability, makeFeed, makePolicies } from "./feed-builders.js";

const start = hoursFromNow(48);
const prepaid = makePolicies({
  services: [
    {
      merchant_id: "m1",
      service_id: "s1",
      prepayment: { price_micros: 25_000_000, currency_code: "EUR" },
      refund_window_sec: 86_400,
    },
  ],
});

describe.each(testBackends)("prepaid bookings (%s)", async (backend) => {
  let fixture: EngineFixture;
  afterEach(async () => {
    await fixture.close();
  });

  const open = async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([makeAvailability({ start_sec: start, spots_total: 3, spots_open: 3 })]),
      policies: prepaid,
    });
  };
  const slot = makeSlotKey({ startSec: start });

  it("charges once with the booking and refunds once on a cancel inside the refund window", async () => {
    await open();
    const outcome = await fixture.engine.createBooking(makeCreateBookingInput({ slot }));
    if (outcome.kind !== "created") throw new Error("booking failed");
    expect(outcome.booking.payment).toMatchObject({ prepayment: "PROVIDED", price: { priceMicros: 25_000_000 } });
    expect(await fixture.ledger()).toMatchObject([
      { kind: "charge", transactionId: outcome.booking.payment.transactionId },
    ]);
    const bookingId = outcome.booking.bookingId;
    const cancelled = await fixture.engine.updateBooking({ caller: "partner", bookingId, cancel: true });
    expect(cancelled.kind !== "failed" && cancelled.booking.payment.prepayment).toBe("REFUNDED");
    await fixture.engine.updateBooking({ caller: "partner", bookingId, cancel: true });
    expect((await fixture.ledger()).map((e) => e.kind)).toEqual(["charge", "refund"]);
  });

  it("keeps the charge when the cancel comes after the refund window opened", async () => {
    await open();
    const outcome = await fixture.engine.createBooking(makeCreateBookingInput({ slot }));
    if (outcome.kind !== "created") throw new Error("booking failed");
    fixture.clock.set(start - 86_400 + 1);
    const cancelled = await fixture.engine.updateBooking({
      caller: "partner",
      bookingId: outcome.booking.bookingId,
      cancel: true,
    });
    expect(cancelled.kind !== "failed" && cancelled.booking.payment.prepayment).toBe("PROVIDED");
    expect((await fixture.ledger()).map((e) => e.kind)).toEqual(["charge"]);
  });

  it.each([
    "PAYMENT_ERROR_CARD_DECLINED",
    "PAYMENT_ERROR_CARD_TYPE_REJECTED",
    "PAYMENT_OPTION_NOT_VALID",
    "PAYMENT_ERROR",
    "USER_CANNOT_USE_PAYMENT_OPTION",
  ])("turns a %s decline into that failure, rolling back the spot and leaving no charge", async (cause) => {
    await open();
    const input = makeCreateBookingInput({ slot, paymentToken: `test:decline:${cause}:AMERICAN_EXPRESS` });
    const outcome = await fixture.engine.createBooking(input);
    expect(outcome.kind === "failed" && outcome.failure.cause).toBe(cause);
    expect((await fixture.engine.lookupAvailability([slot]))[0]?.spotsLeft).toBe(3);
    expect(await fixture.ledger()).toEqual([]);
    expect(await fixture.sql.value("SELECT COUNT(*) FROM idempotency_record")).toBe(0);
  });

  it("refuses a price that differs from the service's with PAYMENT_ERROR", async () => {
    await open();
    const input = makeCreateBookingInput({ slot, expectedPrice: { priceMicros: 1, currencyCode: "EUR" } });
    const outcome = await fixture.engine.createBooking(input);
    expect(outcome.kind === "failed" && outcome.failure.cause).toBe("PAYMENT_ERROR");
  });
});
