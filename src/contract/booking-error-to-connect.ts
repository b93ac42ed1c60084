import type { ConnectError } from "@connectrpc/connect";
import { BookingError } from "../booking/booking-error.js";
import { rpcError } from "./errors.js";

/** The wire error of a domain error; an exhaustive switch, so a new code cannot go unmapped. */
export function bookingErrorToConnect(error: BookingError): ConnectError {
  const code = error.code;
  switch (code) {
    case "BOOKING_NOT_FOUND":
      return rpcError("BOOKING_NOT_FOUND", error.message);
    case "SLOT_NOT_FOUND":
      return rpcError("SLOT_NOT_FOUND", error.message);
    case "BLOCK_NOT_FOUND":
      return rpcError("BLOCK_NOT_FOUND", error.message);
    case "IDEMPOTENCY_TOKEN_REUSED":
      return rpcError("IDEMPOTENCY_TOKEN_REUSED", error.message);
    case "BOOKING_NOT_PENDING":
      return rpcError("INVALID_ARGUMENT", error.message);
    case "ETAG_MISMATCH":
      return rpcError("ETAG_MISMATCH", error.message);
    case "BOOKING_STATE_CONFLICT":
      return rpcError("BOOKING_STATE_CONFLICT", error.message);
    case "BOOKING_CHANGE_REFUSED":
      return rpcError("BOOKING_CHANGE_REFUSED", error.message, {
        metadata: error.failureCause ? { cause: error.failureCause } : {},
      });
    case "STORE_BUSY":
      return rpcError("DATABASE_BUSY", "the booking store is busy; retry", { retryAfterSec: 1 });
    case "STORE_UNAVAILABLE":
      return rpcError("DATABASE_UNAVAILABLE", "the booking store cannot be used right now", { retryAfterSec: 5 });
    default: {
      const unhandled: never = code;
      throw new Error(`unmapped booking error ${String(unhandled)}`);
    }
  }
}

/** The wire error of `error` when it is a domain error; undefined for anything else. */
export function domainErrorToConnect(error: unknown): ConnectError | undefined {
  return error instanceof BookingError ? bookingErrorToConnect(error) : undefined;
}

/** Runs a handler body, translating domain errors; anything else passes through (and reads as internal). */
export async function withDomainErrors<T>(body: () => T | Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw domainErrorToConnect(error) ?? error;
  }
}
