/** Errors that are not business outcomes: the caller's mistake or an unusable store. */
export type BookingErrorCode =
  | "BOOKING_NOT_FOUND"
  | "SLOT_NOT_FOUND"
  | "BLOCK_NOT_FOUND"
  | "IDEMPOTENCY_TOKEN_REUSED"
  | "BOOKING_NOT_PENDING"
  | "ETAG_MISMATCH"
  | "BOOKING_STATE_CONFLICT"
  | "BOOKING_CHANGE_REFUSED"
  | "STORE_BUSY"
  | "STORE_UNAVAILABLE";

/** A domain error with a stable code; the rpc layer maps each code to a wire error. */
export class BookingError extends Error {
  readonly code: BookingErrorCode;
  /** For BOOKING_CHANGE_REFUSED: the business failure cause (SLOT_UNAVAILABLE, ...). */
  readonly failureCause: string | undefined;

  constructor(code: BookingErrorCode, message: string, options?: { cause?: unknown; failureCause?: string }) {
    super(message, options);
    this.name = "BookingError";
    this.code = code;
    this.failureCause = options?.failureCause;
  }
}

/**
 * The one BOOKING_NOT_FOUND error: the same whether the booking never existed or belongs to another
 * aggregator, so an aggregator cannot tell another's booking ids from unknown ones.
 */
export function bookingNotFound(): BookingError {
  // The id is not repeated: error messages never echo what the client sent.
  return new BookingError("BOOKING_NOT_FOUND", "no booking with this booking_id exists");
}
