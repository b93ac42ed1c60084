import { BookingError } from "../../booking/booking-error.js";

const busyCodes = new Set(["SQLITE_BUSY", "SQLITE_LOCKED"]);

/**
 * Turns SQLite failures into domain errors: a lock held past busy_timeout is STORE_BUSY (retry), an
 * unusable file (I/O error, disk full, read-only, corrupt, closed) is STORE_UNAVAILABLE. Anything else,
 * constraint violations included, is a bug and passes through unchanged.
 */
export function translateStoreError(error: unknown): unknown {
  if (error instanceof BookingError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && code.startsWith("SQLITE_")) {
    if (busyCodes.has(code.split("_").slice(0, 2).join("_"))) {
      return new BookingError("STORE_BUSY", "the database is busy", { cause: error });
    }
    if (code.startsWith("SQLITE_CONSTRAINT")) return error;
    return new BookingError("STORE_UNAVAILABLE", "the database cannot be used", { cause: error });
  }
  if (error instanceof TypeError && /database connection is not open/.test(error.message)) {
    return new BookingError("STORE_UNAVAILABLE", "the database is closed", { cause: error });
  }
  return error;
}
