/**
 * What went wrong with a Calendar API call, sorted by what the Calendar API error guide says to do:
 * resync in full, back off and retry, back off for long, re-authorise, give up on the calendar, or stop.
 */
export type CalendarFailureKind =
  /** 410: the sync token is no longer valid; drop it and sync in full. */
  | "syncTokenExpired"
  /** 403 rateLimitExceeded / userRateLimitExceeded, 429. */
  | "rateLimited"
  /** 500 backendError, 502, 503, 504. */
  | "serverError"
  /** 403 quotaExceeded / dailyLimitExceeded: nothing to gain by retrying soon. */
  | "quotaExceeded"
  /** 401: the access token was refused; refresh it once. */
  | "unauthorized"
  /** The token endpoint refused the refresh token or key (invalid_grant, invalid_client...). */
  | "tokenRejected"
  /** 403 for any other reason: the account lacks access to this calendar. */
  | "forbidden"
  /** 404: the calendar does not exist or is not shared with these credentials. */
  | "notFound"
  /** 400 and other 4xx: the request itself is wrong; retrying it changes nothing. */
  | "badRequest"
  | "timeout"
  | "network"
  | "unexpected";

/** A classified failure; `message` is safe to store and show (never headers, tokens or request bodies). */
export interface CalendarFailure {
  kind: CalendarFailureKind;
  status?: number;
  /** Google's reason (`rateLimitExceeded`), the OAuth error (`invalid_grant`) or our own label. */
  reason: string;
  message: string;
  retryAfterSec?: number;
}

const rateLimitReasons = new Set(["rateLimitExceeded", "userRateLimitExceeded"]);
const quotaReasons = new Set(["quotaExceeded", "dailyLimitExceeded"]);
const cancelNames = new Set(["TaskCancelledError", "AbortError", "ABORT_ERR", "TimeoutError"]);
const networkCodes = /^(ECONN|EPIPE|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|ETIMEDOUT|UND_ERR)/;

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  status?: unknown;
  message?: unknown;
  response?: { status?: unknown; data?: unknown; headers?: { get?: (name: string) => string | null } };
}

const clip = (text: string): string => (text.length > 300 ? `${text.slice(0, 297)}...` : text);

/** Seconds from a Retry-After header (delta-seconds or HTTP-date), or undefined. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** Sorts any error thrown by the Calendar client or the token exchange into a CalendarFailure. */
export function classifyCalendarFailure(error: unknown, nowMs: number = Date.now()): CalendarFailure {
  const shape = (typeof error === "object" && error !== null ? error : {}) as ErrorShape;
  const response = shape.response;
  const status =
    typeof response?.status === "number"
      ? response.status
      : typeof shape.status === "number"
        ? shape.status
        : undefined;
  if (status === undefined) {
    if (cancelNames.has(String(shape.name)) || cancelNames.has(String(shape.code))) {
      return { kind: "timeout", reason: "timeout", message: "the calendar did not answer in time" };
    }
    const code = typeof shape.code === "string" ? shape.code : "";
    if (networkCodes.test(code) || (response === undefined && "config" in shape)) {
      return {
        kind: "network",
        reason: code || "network",
        message: clip(`cannot reach the Calendar API (${code || "connection failed"})`),
      };
    }
    return { kind: "unexpected", reason: "unexpected", message: clip(String(shape.message ?? error)) };
  }
  const retryAfterSec = parseRetryAfter(response?.headers?.get?.("retry-after"), nowMs);
  const base = { status, ...(retryAfterSec !== undefined ? { retryAfterSec } : {}) };
  const data = response?.data as { error?: unknown; error_description?: unknown } | undefined;
  if (typeof data?.error === "string") {
    // RFC 6749 error from the token endpoint: `{"error":"invalid_grant","error_description":"..."}`.
    const message = clip(typeof data.error_description === "string" ? data.error_description : data.error);
    const kind = status >= 500 ? "serverError" : status === 429 ? "rateLimited" : "tokenRejected";
    return { ...base, kind, reason: data.error, message };
  }
  const google = data?.error as { message?: unknown; errors?: { reason?: unknown; message?: unknown }[] } | undefined;
  const first = Array.isArray(google?.errors) ? google?.errors[0] : undefined;
  const reason = typeof first?.reason === "string" ? first.reason : `http${status}`;
  const rawMessage =
    typeof google?.message === "string"
      ? google.message
      : typeof first?.message === "string"
        ? first.message
        : `HTTP ${status}`;
  const failure = { ...base, reason, message: clip(rawMessage) };
  if (status === 410) return { ...failure, kind: "syncTokenExpired" };
  if (status === 429 || (status === 403 && rateLimitReasons.has(reason))) return { ...failure, kind: "rateLimited" };
  if (status === 403 && quotaReasons.has(reason)) return { ...failure, kind: "quotaExceeded" };
  if (status === 403) return { ...failure, kind: "forbidden" };
  if (status === 401) return { ...failure, kind: "unauthorized" };
  if (status === 404) return { ...failure, kind: "notFound" };
  if (status >= 500) return { ...failure, kind: "serverError" };
  return { ...failure, kind: "badRequest" };
}

/**
 * Whether the same request may succeed if simply sent again after a pause. A timeout counts: a slow
 * request is retried, while a sync past its own time limit is not (its signal has aborted).
 */
export function isTransientFailure(failure: CalendarFailure): boolean {
  return ["rateLimited", "serverError", "network", "timeout"].includes(failure.kind);
}
