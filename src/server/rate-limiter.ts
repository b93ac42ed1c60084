import type { ConnectError } from "@connectrpc/connect";
import { domainErrorToConnect } from "../contract/booking-error-to-connect.js";
import { rpcError } from "../contract/errors.js";
import type { BucketLimit, RateLimitStore } from "../contract/rate-limit-store.js";

/** A token bucket per credential user: `ratePerSec` calls per second on average, bursts up to `burst`. */
export interface RateLimitOptions extends BucketLimit {
  /** Milliseconds clock of the in-memory buckets; injected by tests. */
  now?: () => number;
}

/** The error to send for a refused call, or undefined when it may go on. */
export type RateLimitAnswer = ConnectError | undefined;

/** Admits or refuses one call of a caller. */
export interface RateLimiter {
  /**
   * Takes a token for `caller`, or answers the error to send: RATE_LIMITED with its retry delay, or the
   * store's DATABASE_UNAVAILABLE / DATABASE_BUSY when the shared buckets cannot be read. The in-memory
   * buckets answer at once, the shared ones with a promise.
   */
  take(caller: string, method: string): RateLimitAnswer | Promise<RateLimitAnswer>;
}

/** The in-memory limiter: it answers at once. */
export interface MemoryRateLimiter extends RateLimiter {
  take(caller: string, method: string): RateLimitAnswer;
}

// A 429 on HealthCheck would read as the server being down; it costs nothing to answer.
const exemptMethods = new Set(["HealthCheck"]);

/**
 * Creates a per-caller token bucket in this process's memory. Buckets are keyed by the authenticated
 * credential user, so their number is bounded by the configured credentials.
 */
export function createRateLimiter(options: RateLimitOptions): MemoryRateLimiter {
  checkLimit(options);
  const now = options.now ?? (() => performance.now());
  const buckets = new Map<string, { tokens: number; atMs: number }>();
  return {
    take(caller, method) {
      if (exemptMethods.has(method)) return undefined;
      const at = now();
      const bucket = buckets.get(caller) ?? { tokens: options.burst, atMs: at };
      bucket.tokens = Math.min(options.burst, bucket.tokens + ((at - bucket.atMs) / 1000) * options.ratePerSec);
      bucket.atMs = at;
      buckets.set(caller, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return undefined;
      }
      return rateLimited(options, (1 - bucket.tokens) / options.ratePerSec);
    },
  };
}

/**
 * Creates a rate limiter over buckets shared by every replica (the database), so a credential gets its
 * rate once per cluster, not once per replica. When the store cannot answer, the call gets the store's
 * error rather than going through unlimited: a database that cannot count calls cannot serve them either.
 */
export function createSharedRateLimiter(store: RateLimitStore, limit: BucketLimit): RateLimiter {
  checkLimit(limit);
  const { ratePerSec, burst } = limit;
  return {
    async take(caller, method) {
      if (exemptMethods.has(method)) return undefined;
      let waitSec: number;
      try {
        waitSec = await store.take(caller, { ratePerSec, burst });
      } catch (error) {
        const refusal = domainErrorToConnect(error);
        if (refusal) return refusal;
        throw error;
      }
      return waitSec > 0 ? rateLimited(limit, waitSec) : undefined;
    },
  };
}

function checkLimit(limit: BucketLimit): void {
  if (!(limit.ratePerSec > 0) || !(limit.burst >= 1)) {
    throw new Error("rate limit: rate must be > 0 and burst >= 1");
  }
}

function rateLimited(limit: BucketLimit, waitSec: number): ConnectError {
  return rpcError(
    "RATE_LIMITED",
    `this credential may make ${limit.ratePerSec} calls per second (bursts of ${limit.burst}); retry later`,
    { retryAfterSec: waitSec },
  );
}
