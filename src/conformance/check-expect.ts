import type { Booking, BookingFailure } from "../../gen/booking/partner/v3/booking_pb.js";
import { BookingFailure_Cause, BookingStatus } from "../../gen/booking/partner/v3/booking_pb.js";
import type { CallOutcome, Exchange } from "./booking-client.js";
import { CheckFailure } from "./check.js";
import type { RawResponse } from "./raw-http.js";
import type { StatusName } from "./status-codes.js";

/** A response that may carry a booking or a business failure (CreateBooking, UpdateBooking). */
export interface BookingResult {
  readonly booking?: Booking;
  readonly bookingFailure?: BookingFailure;
}

/** Fails the check with what was expected and, when given, the exchange that showed it. */
export function fail(message: string, expected?: string, exchange?: Exchange): never {
  throw new CheckFailure(message, { expected, exchange });
}

/** Returns the decoded response of a successful call, or fails naming the transport error. */
export function expectOk<T>(outcome: CallOutcome<T>, what: string): T {
  if (!outcome.ok) {
    fail(`${what} failed with ${describeError(outcome)}`, "HTTP 200 / OK", outcome.exchange);
  }
  return outcome.message;
}

/** Returns the booking of a successful CreateBooking/UpdateBooking, or fails on any other answer. */
export function expectBooking(outcome: CallOutcome<BookingResult>, what: string, expected = "a booking"): Booking {
  if (!outcome.ok) fail(`${what} failed with ${describeError(outcome)}`, expected, outcome.exchange);
  const result = outcome.message;
  if (result.bookingFailure) {
    fail(
      `${what} was refused with booking_failure ${causeName(result.bookingFailure.cause)}`,
      expected,
      outcome.exchange,
    );
  }
  if (!result.booking?.bookingId) fail(`${what} returned no booking.booking_id`, expected, outcome.exchange);
  return result.booking;
}

/** Fails unless the call succeeded with `booking_failure.cause` equal to `cause` and nothing else. */
export function expectFailureCause(
  outcome: CallOutcome<BookingResult>,
  cause: BookingFailure_Cause,
  what: string,
): void {
  const expected = `HTTP 200 / OK with only booking_failure {cause: ${causeName(cause)}}`;
  if (!outcome.ok) fail(`${what} failed with ${describeError(outcome)}`, expected, outcome.exchange);
  const result = outcome.message;
  if (result.booking?.bookingId) {
    fail(`${what} was accepted: booking ${result.booking.bookingId} was made`, expected, outcome.exchange);
  }
  if (result.bookingFailure?.cause !== cause) {
    const got = result.bookingFailure ? causeName(result.bookingFailure.cause) : "no booking_failure";
    fail(`${what} answered ${got}`, expected, outcome.exchange);
  }
}

/** Fails unless the call was refused at the transport level with `status`. */
export function expectStatus(outcome: CallOutcome<unknown>, status: StatusName, what: string): void {
  const expected = `${httpOf(status)} / ${status}`;
  if (outcome.ok) fail(`${what} succeeded`, expected, outcome.exchange);
  if (outcome.error.code !== status) {
    fail(`${what} failed with ${describeError(outcome)}`, expected, outcome.exchange);
  }
}

/** The enum name of a failure cause, e.g. `SLOT_UNAVAILABLE`. */
export function causeName(cause: BookingFailure_Cause): string {
  return BookingFailure_Cause[cause] ?? String(cause);
}

/** The enum name of a booking status, e.g. `CONFIRMED`. */
export function bookingStatusName(status: BookingStatus): string {
  return BookingStatus[status] ?? String(status);
}

/** `HTTP 400 INVALID_ARGUMENT: message` or `INVALID_ARGUMENT: message`. */
export function describeError(outcome: CallOutcome<unknown>): string {
  if (outcome.ok) return "no error";
  const { code, httpStatus, message } = outcome.error;
  const http = httpStatus ? `HTTP ${httpStatus} ` : "";
  return `${http}${code}${message ? `: ${message}` : ""}`;
}

function httpOf(status: StatusName): string {
  const codes: Partial<Record<StatusName, number>> = { INVALID_ARGUMENT: 400, UNAUTHENTICATED: 401, NOT_FOUND: 404 };
  return codes[status] ? `HTTP ${codes[status]}` : "an error";
}

/** Fails unless a raw REST answer has HTTP `status`. */
export function expectHttpStatus(response: RawResponse, status: number, what: string, expected?: string): void {
  if (response.status === status) return;
  const got = response.status === 0 ? `no answer (${response.networkError})` : `HTTP ${response.status}`;
  fail(`${what} answered ${got}`, expected ?? `HTTP ${status}`, response.exchange);
}

/**
 * Fails unless a raw REST answer is HTTP `status` with Google's JSON error body:
 * `{"error":{"code":status,"message":"...","status":name}}`.
 */
export function expectGoogleError(response: RawResponse, status: number, name: StatusName, what: string): void {
  const expected = `HTTP ${status} with {"error":{"code":${status},"message":"...","status":"${name}"}}`;
  expectHttpStatus(response, status, what, expected);
  const error = (response.json as { error?: { code?: unknown; message?: unknown; status?: unknown } } | undefined)
    ?.error;
  if (typeof error !== "object" || error === null) {
    fail(`${what} answered HTTP ${status} without a JSON error body`, expected, response.exchange);
  }
  if (error.code !== status || typeof error.message !== "string" || error.status !== name) {
    fail(`${what} answered an error body that does not follow Google's JSON error model`, expected, response.exchange);
  }
}
