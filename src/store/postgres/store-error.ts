import { BookingError } from "../../booking/booking-error.js";

/** SQLSTATEs after which the same transaction, run again, may well succeed. */
const retryableStates = new Set(["40001", "40P01"]);

/** Node socket errors that mean the server cannot be reached. */
const socketCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "EAI_AGAIN",
]);

/** pg's own messages when a connection is lost, was never made, or waited too long for the pool. */
const lostConnection =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Client was closed|Cannot use a pool after calling end/i;

/** The SQLSTATE of a server error, or undefined for anything else. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** True for a serialization failure or a deadlock: the transaction may be run again. */
export function isRetryable(error: unknown): boolean {
  const state = sqlState(error);
  return state !== undefined && retryableStates.has(state);
}

/** True when the error means the connection, not the statement, failed: the client must be discarded. */
export function isConnectionError(error: unknown): boolean {
  // Connecting to a name with several addresses fails with every attempt's error at once.
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && socketCodes.has(code)) return true;
  const state = sqlState(error);
  // 08: connection exception; 57P01-03: shutdown or startup; 53300: too many connections.
  if (state && (state.startsWith("08") || /^57P0[123]$/.test(state) || state === "53300")) return true;
  return error instanceof Error && lostConnection.test(error.message);
}

/**
 * Turns pg failures into domain errors: an unreachable, restarting or refusing server is STORE_UNAVAILABLE;
 * a statement or lock timeout, or a serialization failure or deadlock left after the retries, is STORE_BUSY.
 * Anything else, constraint violations included, is a bug and passes through unchanged.
 */
export function translateStoreError(error: unknown): unknown {
  if (error instanceof BookingError) return error;
  if (isConnectionError(error)) {
    return new BookingError("STORE_UNAVAILABLE", "the database cannot be reached", { cause: error });
  }
  const state = sqlState(error);
  // 57014: statement_timeout; 55P03: lock not available.
  if (state && (retryableStates.has(state) || state === "57014" || state === "55P03")) {
    return new BookingError("STORE_BUSY", "the database is busy", { cause: error });
  }
  // 28: authentication; 3D000: no such database; both only heal when the operator fixes them.
  if (state && (state.startsWith("28") || state === "3D000")) {
    return new BookingError("STORE_UNAVAILABLE", "the database refuses connections", { cause: error });
  }
  return error;
}
