/** An error the fake Calendar API answers with instead of a page, in Google's JSON error format. */
export interface InjectedError {
  status: number;
  reason: string;
  domain: string;
  message: string;
  googleStatus: string;
  retryAfter?: string;
  /** Hold the response this long before answering (to trip timeouts); 0 by default. */
  delayMs?: number;
}

const error = (
  status: number,
  domain: string,
  reason: string,
  message: string,
  googleStatus: string,
): InjectedError => ({
  status,
  domain,
  reason,
  message,
  googleStatus,
});

/** Every error of the Calendar API error guide that the sync must handle, as Google sends it. */
export const googleErrors = {
  fullSyncRequired: () =>
    error(410, "calendar", "fullSyncRequired", "Sync token is no longer valid, a full sync is required.", "GONE"),
  updatedMinTooLongAgo: () =>
    error(
      410,
      "calendar",
      "updatedMinTooLongAgo",
      "The requested minimum modification time lies too far in the past.",
      "GONE",
    ),
  rateLimitExceeded: () => error(403, "usageLimits", "rateLimitExceeded", "Rate Limit Exceeded", "PERMISSION_DENIED"),
  userRateLimitExceeded: () =>
    error(403, "usageLimits", "userRateLimitExceeded", "User Rate Limit Exceeded", "PERMISSION_DENIED"),
  tooManyRequests: () => error(429, "usageLimits", "rateLimitExceeded", "Rate Limit Exceeded", "RESOURCE_EXHAUSTED"),
  quotaExceeded: () =>
    error(403, "usageLimits", "quotaExceeded", "Calendar usage limits exceeded.", "PERMISSION_DENIED"),
  backendError: () => error(500, "global", "backendError", "Backend Error", "INTERNAL"),
  serviceUnavailable: () =>
    error(503, "global", "backendError", "The service is currently unavailable.", "UNAVAILABLE"),
  authError: () =>
    error(401, "global", "authError", "Request had invalid authentication credentials.", "UNAUTHENTICATED"),
  notFound: () => error(404, "global", "notFound", "Not Found", "NOT_FOUND"),
  badRequest: () => error(400, "global", "badRequest", "Bad Request", "INVALID_ARGUMENT"),
};

/** The body Google sends with an error. */
export function googleErrorBody(injected: InjectedError): string {
  return JSON.stringify({
    error: {
      code: injected.status,
      message: injected.message,
      errors: [{ domain: injected.domain, reason: injected.reason, message: injected.message }],
      status: injected.googleStatus,
    },
  });
}
