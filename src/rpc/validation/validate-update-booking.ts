import { BookingStatus, BookingStatusSchema } from "../../../gen/booking/partner/v3/booking_pb.js";
import type { UpdateBookingRequest } from "../../../gen/booking/partner/v3/booking_service_pb.js";
import type { FieldViolation } from "../../contract/errors.js";
import { checkEnum, checkText } from "./field-checks.js";
import { validatePaymentInformation } from "./validate-payment.js";
import { validateSlot } from "./validate-slot.js";
import { validateUserInformation } from "./validate-user-information.js";
import { fieldLimits } from "./validation-limits.js";

/**
 * Every violation of an UpdateBookingRequest: `booking.booking_id` is required, and the booking must
 * carry at least one change Google sends (status CANCELED, slot start/duration, or party size).
 */
export function validateUpdateBooking(req: UpdateBookingRequest): FieldViolation[] {
  const out: FieldViolation[] = [];
  const booking = req.booking;
  if (!booking) return [{ field: "booking", description: "is required" }];
  checkText(out, "booking.booking_id", booking.bookingId, { required: true, maxChars: fieldLimits.idChars });
  // Google changes a status only to cancel; other statuses move by the merchant, not by UpdateBooking.
  if (booking.status !== BookingStatus.BOOKING_STATUS_UNSPECIFIED && booking.status !== BookingStatus.CANCELED) {
    const before = out.length;
    checkEnum(out, "booking.status", booking.status, BookingStatusSchema);
    if (out.length === before) {
      out.push({ field: "booking.status", description: "only CANCELED can be set; leave it unset to reschedule" });
    }
  }
  validateSlot(out, "booking.slot", booking.slot, { identity: false, duration: false });
  validateUserInformation(out, "booking.user_information", booking.userInformation, false);
  validatePaymentInformation(out, "booking.payment_information", booking.paymentInformation);
  const slot = booking.slot;
  const changes =
    booking.status !== BookingStatus.BOOKING_STATUS_UNSPECIFIED ||
    (slot !== undefined && (slot.startSec !== 0n || slot.durationSec !== 0n || (slot.resources?.partySize ?? 0) !== 0));
  if (!changes) {
    out.push({
      field: "booking",
      description: "must carry a change: status, slot.start_sec with slot.duration_sec, or slot.resources.party_size",
    });
  }
  return out;
}
