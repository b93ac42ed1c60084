import { describe, expect, it } from "vitest";
import { classifyCalendarFailure, parseRetryAfter } from "../../src/calendar/calendar-failure.js";
import { defaultFailureBackoff, planAfterFailure } from "../../src/calendar/failure-plan.js";
import { googleErrorBody, googleErrors, type InjectedError } from "./google-error-bodies.js";

/** An error shaped like the client's (status, response with headers and parsed JSON). */
const clientError = (injected: InjectedError, headers: Record<string, string> = {}) => ({
  name: "GaxiosError",
  status: injected.status,
  config: { headers: { authorization: "Bearer ya29.secret" } },
  response: { status: injected.status, data: JSON.parse(googleErrorBody(injected)), headers: new Headers(headers) },
});

describe("classifying Calendar API failures", () => {
  it.each([
    [googleErrors.fullSyncRequired(), "syncTokenExpired"],
    [googleErrors.updatedMinTooLongAgo(), "syncTokenExpired"],
    [googleErrors.rateLimitExceeded(), "rateLimited"],
    [googleErrors.userRateLimitExceeded(), "rateLimited"],
    [googleErrors.tooManyRequests(), "rateLimited"],
    [googleErrors.quotaExceeded(), "quotaExceeded"],
    [googleErrors.backendError(), "serverError"],
    [googleErrors.serviceUnavailable(), "serverError"],
    [googleErrors.authError(), "unauthorized"],
    [googleErrors.notFound(), "notFound"],
    [googleErrors.badRequest(), "badRequest"],
    [{ ...googleErrors.badRequest(), status: 403, reason: "insufficientPermissions" }, "forbidden"],
  ])("%j is %s", (injected, kind) => {
    expect(classifyCalendarFailure(clientError(injected))).toMatchObject({
      kind,
      reason: injected.reason,
      message: injected.message,
    });
  });

  it("reads token endpoint errors as a refused grant", () => {
    const error = {
      status: 400,
      response: {
        status: 400,
        data: { error: "invalid_grant", error_description: "Token has been expired or revoked." },
      },
    };
    expect(classifyCalendarFailure(error)).toEqual({
      kind: "tokenRejected",
      status: 400,
      reason: "invalid_grant",
      message: "Token has been expired or revoked.",
    });
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const nowMs = Date.UTC(2030, 0, 1);
    expect(
      classifyCalendarFailure(clientError(googleErrors.tooManyRequests(), { "retry-after": "30" }), nowMs)
        .retryAfterSec,
    ).toBe(30);
    expect(parseRetryAfter("Tue, 01 Jan 2030 00:02:00 GMT", nowMs)).toBe(120);
    expect(parseRetryAfter("soon", nowMs)).toBeUndefined();
  });

  it("sorts timeouts, network errors and anything else without a status", () => {
    expect(classifyCalendarFailure({ name: "TaskCancelledError", message: "timed out" }).kind).toBe("timeout");
    expect(classifyCalendarFailure({ code: "ECONNREFUSED", message: "connect ECONNREFUSED" }).kind).toBe("network");
    expect(classifyCalendarFailure(new Error("boom"))).toEqual({
      kind: "unexpected",
      reason: "unexpected",
      message: "boom",
    });
  });

  it("never copies request headers into the message", () => {
    expect(JSON.stringify(classifyCalendarFailure(clientError(googleErrors.authError())))).not.toContain("ya29");
  });
});

describe("planning after a failed sync", () => {
  const now = 1_000_000;
  const plan = (injected: InjectedError, failures = 0) =>
    planAfterFailure(classifyCalendarFailure(clientError(injected)), failures, now, defaultFailureBackoff, () => 0.5);

  it("stops scheduling a link that needs re-authorisation, is gone or sent a bad request", () => {
    expect(plan(googleErrors.authError())).toMatchObject({ needsReauth: true, gone: false, nextAttemptSec: null });
    expect(plan(googleErrors.notFound())).toMatchObject({ needsReauth: false, gone: true, nextAttemptSec: null });
    expect(plan(googleErrors.badRequest())).toMatchObject({ needsReauth: false, gone: false, nextAttemptSec: null });
  });

  it("waits hours after quotaExceeded", () => {
    expect(plan(googleErrors.quotaExceeded()).nextAttemptSec).toBe(now + 4 * 3600);
  });

  it("backs off transient failures exponentially, capped, and never sooner than Retry-After", () => {
    const delays = [0, 1, 2, 3, 10, 50].map(
      (failures) => (plan(googleErrors.backendError(), failures).nextAttemptSec ?? 0) - now,
    );
    expect(delays).toEqual([30, 60, 120, 240, 1800, 1800]);
    const withRetryAfter = planAfterFailure(
      { kind: "rateLimited", reason: "rateLimitExceeded", message: "", retryAfterSec: 900 },
      0,
      now,
      defaultFailureBackoff,
      () => 0.5,
    );
    expect(withRetryAfter.nextAttemptSec).toBe(now + 900);
  });
});
