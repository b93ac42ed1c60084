import type { Booking } from "./booking.js";
import { BookingError } from "./booking-error.js";
import type { BookingWriter } from "./booking-store.js";
import { type ChangeBookingDeps, refundPayment } from "./change-booking.js";

/** A merchant's answer to a booking waiting for confirmation. */
export type MerchantDecision = "confirm" | "decline";

/**
 * Moves a PENDING_MERCHANT_CONFIRMATION booking to CONFIRMED, or to DECLINED_BY_MERCHANT (which frees its
 * spot and refunds its prepayment). Repeating the same decision changes nothing.
 */
export async function decidePendingBooking(
  writer: BookingWriter,
  bookingId: string,
  decision: MerchantDecision,
  deps: ChangeBookingDeps,
): Promise<Booking> {
  const booking = await writer.getBooking(bookingId);
  if (!booking) throw new BookingError("BOOKING_NOT_FOUND", `booking ${bookingId} does not exist`);
  const target = decision === "confirm" ? "CONFIRMED" : "DECLINED_BY_MERCHANT";
  if (booking.status === target) return booking;
  if (booking.status !== "PENDING_MERCHANT_CONFIRMATION") {
    throw new BookingError("BOOKING_NOT_PENDING", `booking ${bookingId} is ${booking.status}, not pending`);
  }
  if (decision === "confirm") {
    await writer.updateBooking(bookingId, { status: target, nowSec: deps.nowSec });
  } else {
    await writer.releaseSpot(booking.slot.slotId);
    const payment = await refundPayment(writer, booking, deps);
    await writer.updateBooking(bookingId, { status: target, payment, nowSec: deps.nowSec });
  }
  const updated = await writer.getBooking(bookingId);
  if (!updated) throw new Error(`booking ${bookingId} vanished inside its own transaction`);
  return updated;
}
