import type { Booking } from "./booking.js";
import { BookingError } from "./booking-error.js";

/** The etag of a booking: opaque to clients, it changes with every change of the booking. */
export function bookingEtag(booking: Pick<Booking, "bookingId" | "version">): string {
  return `"${booking.version}"`;
}

/**
 * Refuses a change made against another version of the booking than the stored one. An empty
 * `expected` skips the check (a client that did not read the booking first).
 */
export function checkBookingEtag(booking: Booking, expected: string): void {
  if (expected === "" || expected === bookingEtag(booking)) return;
  throw new BookingError("ETAG_MISMATCH", "the booking changed since it was read; read it again");
}
