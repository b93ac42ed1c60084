/** Business outcomes that refuse a booking or a change; sent as a successful answer. */
export type FailureCause =
  | "SLOT_UNAVAILABLE"
  | "SLOT_ALREADY_BOOKED_BY_USER"
  | "LEASE_EXPIRED"
  | "OUTSIDE_CANCELLATION_WINDOW"
  | "PAYMENT_ERROR_CARD_TYPE_REJECTED"
  | "PAYMENT_ERROR_CARD_DECLINED"
  | "PAYMENT_OPTION_NOT_VALID"
  | "PAYMENT_ERROR"
  | "USER_CANNOT_USE_PAYMENT_OPTION"
  | "BOOKING_ALREADY_CANCELLED"
  | "BOOKING_NOT_CANCELLABLE"
  | "OVERLAPPING_RESERVATION"
  | "USER_OVER_BOOKING_LIMIT"
  | "OFFER_UNAVAILABLE";

/** A refused booking or change: the cause, and a short description for debugging (never shown to users). */
export interface BookingFailure {
  cause: FailureCause;
  description: string;
  /** The card brand refused, with PAYMENT_ERROR_CARD_TYPE_REJECTED. */
  rejectedCardType?: string;
}

/** Builds a failure. */
export function bookingFailure(cause: FailureCause, description: string): BookingFailure {
  return { cause, description };
}
