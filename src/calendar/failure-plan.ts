import type { CalendarFailure } from "./calendar-failure.js";
import type { FailurePlan } from "./calendar-store.js";

/** How long a link waits between failed syncs. */
export interface FailureBackoffOptions {
  /** First delay after a failed sync; doubles with each consecutive failure. */
  baseSec: number;
  /** Longest delay between failed syncs of a transient kind. */
  capSec: number;
  /** The delay after quotaExceeded: the quota will not come back in minutes. */
  quotaBackoffSec: number;
}

/** A minute, doubling up to an hour; four hours after quotaExceeded. */
export const defaultFailureBackoff: FailureBackoffOptions = { baseSec: 60, capSec: 3600, quotaBackoffSec: 4 * 3600 };

/**
 * Decides a link's state after a failed sync: re-authorisation, gone, halted (a malformed request), a
 * long pause (quota), or exponential backoff with full jitter, capped and never shorter than Retry-After.
 */
export function planAfterFailure(
  failure: CalendarFailure,
  consecutiveFailures: number,
  nowSec: number,
  options: FailureBackoffOptions,
  random: () => number,
): FailurePlan {
  const plan = { reason: failure.reason, message: failure.message, needsReauth: false, gone: false };
  const retryAfter = failure.retryAfterSec ?? 0;
  switch (failure.kind) {
    case "unauthorized":
    case "tokenRejected":
    case "forbidden":
      return { ...plan, needsReauth: true, nextAttemptSec: null };
    case "notFound":
      return { ...plan, gone: true, nextAttemptSec: null };
    case "badRequest":
      return { ...plan, nextAttemptSec: null };
    case "quotaExceeded":
      return { ...plan, nextAttemptSec: nowSec + Math.max(options.quotaBackoffSec, retryAfter) };
    case "syncTokenExpired":
    case "rateLimited":
    case "serverError":
    case "network":
    case "timeout":
    case "unexpected": {
      const ceiling = Math.min(options.capSec, options.baseSec * 2 ** Math.min(consecutiveFailures, 30));
      const jittered = Math.max(1, Math.floor(random() * ceiling));
      return { ...plan, nextAttemptSec: nowSec + Math.max(jittered, retryAfter) };
    }
  }
}
