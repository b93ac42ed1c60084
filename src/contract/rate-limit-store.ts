/** A token bucket's shape: `ratePerSec` tokens a second on average, never more than `burst` at once. */
export interface BucketLimit {
  ratePerSec: number;
  burst: number;
}

/**
 * Token buckets kept where every replica of the server sees them (the database), one per credential
 * user. Errors are domain errors (BookingError STORE_UNAVAILABLE / STORE_BUSY) like any store's.
 */
export interface RateLimitStore {
  /**
   * Refills `caller`'s bucket for the time since its last call and takes one token, atomically; resolves
   * to 0 when a token was taken, else to the seconds until one is due (nothing is taken then).
   */
  take(caller: string, limit: BucketLimit): Promise<number>;
}
