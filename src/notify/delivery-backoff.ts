/** Exponential backoff with full jitter and a cap. */
export interface BackoffOptions {
  /** The ceiling of the first retry's wait. */
  baseMs: number;
  /** No wait is longer than this, Retry-After included. */
  capMs: number;
}

/** Backoff that suits an aggregator API: 1 s, 2 s, 4 s, ... up to 5 minutes. */
export const defaultBackoff: BackoffOptions = { baseMs: 1000, capMs: 5 * 60_000 };

/** The wait before retry number `attempt` (1 for the first): a uniform draw in [0, min(cap, base * 2^(attempt-1))]. */
export function backoffMs(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** A Retry-After header (seconds or an HTTP date) in milliseconds from `nowMs`; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
