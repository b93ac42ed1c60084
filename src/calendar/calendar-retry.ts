import { setTimeout as delay } from "node:timers/promises";
import { DelegateBackoff, handleWhen, type IRetryBackoffContext, retry } from "cockatiel";
import { classifyCalendarFailure, isTransientFailure } from "./calendar-failure.js";

/** How one Calendar API call is retried within a sync. */
export interface CalendarRetryOptions {
  /** Ceiling of the first delay; doubles per retry. */
  initialDelayMs: number;
  /** Ceiling of any delay; a Retry-After longer than this ends the sync and defers the link instead. */
  maxDelayMs: number;
  /** Retries per call after the first attempt. */
  maxRetries: number;
  /** Uniform in [0, 1); the jitter source. */
  random: () => number;
  /** Waits between attempts; rejects when the signal aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** One second doubling to 32 s with full jitter, five retries: the Calendar API guide's advice. */
export const defaultCalendarRetry: CalendarRetryOptions = {
  initialDelayMs: 1000,
  maxDelayMs: 32_000,
  maxRetries: 5,
  random: Math.random,
  sleep: (ms, signal) => delay(ms, undefined, { signal }),
};

/** Runs a call, retrying transient failures (rate limits, 5xx, network) with capped, jittered backoff. */
export interface CalendarRetry {
  execute<T>(call: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T>;
}

/**
 * Creates the retry policy for Calendar API calls on cockatiel: `retry(handleWhen(transient))` with a
 * full-jitter exponential backoff that waits at least as long as the server's Retry-After.
 */
export function createCalendarRetry(options: Partial<CalendarRetryOptions> = {}): CalendarRetry {
  const settings = { ...defaultCalendarRetry, ...options };
  const retryable = (error: Error): boolean => {
    const failure = classifyCalendarFailure(error);
    return isTransientFailure(failure) && (failure.retryAfterSec ?? 0) * 1000 <= settings.maxDelayMs;
  };
  return {
    execute<T>(call: (signal: AbortSignal) => Promise<T>, signal: AbortSignal): Promise<T> {
      let waitMs = 0;
      // cockatiel sleeps on its own timer, which neither a test nor shutdown can cut short; it is
      // handed 0 and the computed wait goes through the injected, abortable sleep before the retry.
      const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>, number>((context, attempt = 0) => {
        const ceiling = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** attempt);
        const jittered = Math.floor(settings.random() * ceiling);
        const result = context.result;
        const retryAfterSec = "error" in result ? classifyCalendarFailure(result.error).retryAfterSec : undefined;
        waitMs = Math.max(jittered, (retryAfterSec ?? 0) * 1000);
        return { delay: 0, state: attempt + 1 };
      });
      const policy = retry(handleWhen(retryable), { maxAttempts: settings.maxRetries, backoff });
      return policy.execute(async ({ attempt, signal: attemptSignal }) => {
        if (attempt > 0) await settings.sleep(waitMs, attemptSignal);
        return call(attemptSignal);
      }, signal);
    },
  };
}
