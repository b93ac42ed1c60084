import type { Booking } from "../../src/booking/booking.js";
import type { SlotKey } from "../../src/booking/inventory.js";
import type { CreateBookingInput } from "../../src/booking/place-booking.js";
import { hoursFromNow } from "./feed-builders.js";

let counter = 0;

/** The key of the default slot of makeAvailability(). */
export function makeSlotKey(overrides: Partial<SlotKey> = {}): SlotKey {
  return {
    merchantId: "m1",
    serviceId: "s1",
    startSec: hoursFromNow(24),
    durationSec: 1800,
    staffId: "",
    roomId: "",
    partySize: 0,
    ...overrides,
  };
}

/** A CreateBooking domain input with a fresh token and user; the response bytes are the booking id. */
export function makeCreateBookingInput(overrides: Partial<CreateBookingInput> = {}): CreateBookingInput {
  counter += 1;
  const userId = overrides.user?.userId ?? `user-${counter}`;
  return {
    caller: "partner",
    idempotencyToken: `token-${counter}`,
    fingerprint: `fingerprint-${counter}`,
    slot: makeSlotKey(),
    user: {
      userId,
      givenName: "Ada",
      familyName: "Lovelace",
      telephone: "+1 555-0100",
      email: "ada@example.com",
      languageCode: "",
    },
    paymentToken: "",
    offerId: "",
    leaseId: "",
    render: (booking: Booking) => new TextEncoder().encode(booking.bookingId),
    ...overrides,
  };
}
