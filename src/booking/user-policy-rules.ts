import type { Booking } from "./booking.js";
import { type BookingFailure, bookingFailure } from "./booking-failure.js";
import { type InventorySlot, type MerchantPolicy, slotEndSec } from "./inventory.js";

/** The failure when the user already holds the target slot through one of `held`. */
export function alreadyHeldFailure(held: readonly Booking[], target: InventorySlot): BookingFailure | undefined {
  if (held.some((booking) => booking.slot.slotId === target.slotId)) {
    return bookingFailure("SLOT_ALREADY_BOOKED_BY_USER", "the user already holds a booking of this slot");
  }
  return undefined;
}

/**
 * The merchant's per-user rules for taking `target` while holding `held` (active, future bookings at
 * that merchant): no overlap when the merchant forbids it, and at most its limit of active bookings.
 */
export function merchantPolicyFailure(
  policy: MerchantPolicy,
  held: readonly Booking[],
  target: InventorySlot,
  options: { addsBooking: boolean },
): BookingFailure | undefined {
  if (policy.forbidOverlapping) {
    const overlapping = held.some(
      (booking) => booking.slot.startSec < slotEndSec(target) && slotEndSec(booking.slot) > target.startSec,
    );
    if (overlapping) {
      return bookingFailure("OVERLAPPING_RESERVATION", "the user holds another booking here at an overlapping time");
    }
  }
  if (options.addsBooking && policy.maxActiveBookingsPerUser > 0 && held.length >= policy.maxActiveBookingsPerUser) {
    return bookingFailure(
      "USER_OVER_BOOKING_LIMIT",
      `the merchant allows ${policy.maxActiveBookingsPerUser} active bookings per user`,
    );
  }
  return undefined;
}

/** The failure when cancelling (or moving out of) a slot starting at startSec is too late at nowSec. */
export function cancellationWindowFailure(
  startSec: number,
  minAdvanceCancellationSec: number,
  nowSec: number,
): BookingFailure | undefined {
  if (nowSec + minAdvanceCancellationSec > startSec) {
    return bookingFailure(
      "OUTSIDE_CANCELLATION_WINDOW",
      `changes close ${minAdvanceCancellationSec} s before the start`,
    );
  }
  return undefined;
}
