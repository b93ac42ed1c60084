import type { BookingFailure } from "./booking-failure.js";
import type { BookingStore, BookingWriter } from "./booking-store.js";

/** Thrown inside a write to undo what it wrote and still answer with a business failure. */
export class FailureRollback extends Error {
  readonly failure: BookingFailure;

  constructor(failure: BookingFailure) {
    super(failure.description);
    this.name = "FailureRollback";
    this.failure = failure;
  }
}

/**
 * Runs a write; a FailureRollback thrown from it rolls the write back and becomes a
 * `{ kind: "failed" }` outcome instead of a rejection.
 */
export async function writeOrFail<T>(
  store: BookingStore,
  fn: (writer: BookingWriter) => Promise<T>,
): Promise<T | { kind: "failed"; failure: BookingFailure }> {
  try {
    return await store.write(fn);
  } catch (error) {
    if (error instanceof FailureRollback) return { kind: "failed", failure: error.failure };
    throw error;
  }
}
