import { randomFillSync } from "node:crypto";

/** Random bytes drawn from the system in blocks: one call per 512 ids instead of one per id. */
const entropy = Buffer.alloc(8 * 512);
let drawn = entropy.length;

/** 64 random bits as 16 hex digits. */
function randomHex64(): string {
  if (drawn === entropy.length) {
    randomFillSync(entropy);
    drawn = 0;
  }
  drawn += 8;
  return entropy.toString("hex", drawn - 8, drawn);
}

/**
 * A new booking id: 12 hex digits of the creation time in milliseconds, then 64 random bits as 16
 * more. Ids made later sort later, so every B-tree keyed by booking id (the booking's own key, the
 * idempotency record's and the audit trail's indexes) takes a new booking at its end, where the last
 * ones went, instead of at a random leaf page: a commit writes fewer pages, and the cost of a booking
 * does not grow with the number of bookings stored. The random part keeps ids made in the same
 * millisecond, by other replicas or after a restart, apart and unguessable. The time it shows is the
 * booking's creation, which its aggregator knows anyway.
 */
export function timeOrderedBookingId(nowMs: number = Date.now()): string {
  return nowMs.toString(16).padStart(12, "0") + randomHex64();
}
