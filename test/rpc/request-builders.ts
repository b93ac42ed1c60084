import { hoursFromNow } from "../booking/feed-builders.js";

let counter = 0;

/** A REST CreateBooking body (snake_case, int64 as strings) with a fresh token and user; overrides merge in. */
export function makeCreateBookingRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    slot: makeSlot(),
    user_information: {
      user_id: `user-${process.pid}-${counter}`,
      given_name: "Grace",
      family_name: "Hopper",
      telephone: "+1 555-0100",
      email: "grace@example.com",
    },
    payment_information: { prepayment_status: "PREPAYMENT_NOT_PROVIDED" },
    idempotency_token: `token-${process.pid}-${counter}`,
    ...overrides,
  };
}

/** A REST Slot of the default feed slot; overrides replace fields. */
export function makeSlot(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    merchant_id: "m1",
    service_id: "s1",
    start_sec: String(hoursFromNow(24)),
    duration_sec: "1800",
    ...overrides,
  };
}
