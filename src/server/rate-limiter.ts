import type { ConnectError } from "@connectrpc/connect";
import { rpcError } from "../rpc/errors.js";

/** A token bucket per credential user: `ratePerSec` calls per second on average, bursts up to `burst`. */
export interface RateLimitOptions {
  ratePerSec: number;
  burst: number;
  /** Milliseconds clock; injected by tests. */
  now?: () => number;
}

/** Admits or refuses one call of a caller. */
export interface RateLimiter {
  /** Takes a token for `caller`, or returns the RATE_LIMITED error (with its retry delay) to send. */
  take(caller: string, method: string): ConnectError | undefined;
}

// A 429 on HealthCheck would read as the server being down; it costs nothing to answer.
const exemptMethods = new Set(["HealthCheck"]);

/**
 * Creates a per-caller token bucket. Buckets are keyed by the authenticated credential user, so their
 * number is bounded by the configured credentials.
 */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  if (!(options.ratePerSec > 0) || !(options.burst >= 1)) {
    throw new Error("rate limit: rate must be > 0 and burst >= 1");
  }
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
      const waitSec = (1 - bucket.tokens) / options.ratePerSec;
      return rpcError(
        "RATE_LIMITED",
        `this credential may make ${options.ratePerSec} calls per second (bursts of ${options.burst}); retry later`,
        { retryAfterSec: waitSec },
      );
    },
  };
}
