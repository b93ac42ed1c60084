/** Errors that are not business outcomes: the caller's mistake or an unusable store. */
export type BookingErrorCode =
  | "BOOKING_NOT_FOUND"
  | "IDEMPOTENCY_TOKEN_REUSED"
  | "BOOKING_NOT_PENDING"
  | "STORE_BUSY"
  | "STORE_UNAVAILABLE";

/** A domain error with a stable code; the rpc layer maps each code to a wire error. */
export class BookingError extends Error {
  readonly code: BookingErrorCode;

  constructor(code: BookingErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BookingError";
    this.code = code;
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
