import { describe, expect, it } from "vitest";
import { createCalendarRetry } from "../../src/calendar/calendar-retry.js";
import { googleErrorBody, googleErrors, type InjectedError } from "./google-error-bodies.js";

const failure = (injected: InjectedError, headers: Record<string, string> = {}) =>
  Object.assign(new Error(injected.message), {
    status: injected.status,
    response: { status: injected.status, data: JSON.parse(googleErrorBody(injected)), headers: new Headers(headers) },
  });

/** A call that throws the given errors in turn, then answers "ok". */
const scripted = (errors: Error[]) => {
  let calls = 0;
  return {
    calls: () => calls,
    run: async () => {
      calls += 1;
      const error = errors[calls - 1];
      if (error) throw error;
      return "ok";
    },
  };
};

const never = new AbortController().signal;

describe("calendar retry policy", () => {
  it("retries transient failures with full-jitter delays drawn from doubling ceilings", async () => {
    const sleeps: number[] = [];
    const draws = [0.9, 0.1, 0.5];
    const retry = createCalendarRetry({ random: () => draws.shift() ?? 0, sleep: async (ms) => void sleeps.push(ms) });
    const call = scripted([
      failure(googleErrors.backendError()),
      failure(googleErrors.rateLimitExceeded()),
      failure(googleErrors.serviceUnavailable()),
    ]);
    await expect(retry.execute(call.run, never)).resolves.toBe("ok");
    expect(sleeps).toEqual([900, 200, 2000]);
  });

  it("retries a request that timed out or lost its connection", async () => {
    const retry = createCalendarRetry({ sleep: async () => undefined });
    const timedOut = Object.assign(new Error("request timed out"), { name: "TimeoutError" });
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    const call = scripted([timedOut, reset]);
    await expect(retry.execute(call.run, never)).resolves.toBe("ok");
    expect(call.calls()).toBe(3);
  });

  it("gives up after maxRetries, throwing the last error", async () => {
    const sleeps: number[] = [];
    const retry = createCalendarRetry({ maxRetries: 2, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) });
    const call = scripted(Array.from({ length: 5 }, () => failure(googleErrors.tooManyRequests())));
    await expect(retry.execute(call.run, never)).rejects.toMatchObject({ status: 429 });
    expect(call.calls()).toBe(3);
    expect(sleeps).toEqual([500, 1000]);
  });

  it("does not retry failures that a retry cannot fix", async () => {
    for (const injected of [
      googleErrors.quotaExceeded(),
      googleErrors.authError(),
      googleErrors.notFound(),
      googleErrors.badRequest(),
      googleErrors.fullSyncRequired(),
    ]) {
      const call = scripted([failure(injected)]);
      await expect(
        createCalendarRetry({ sleep: async () => undefined }).execute(call.run, never),
      ).rejects.toMatchObject({ status: injected.status });
      expect(call.calls()).toBe(1);
    }
  });

  it("stops waiting and retrying when its signal aborts", async () => {
    const controller = new AbortController();
    const retry = createCalendarRetry({
      sleep: async (_ms, signal) => {
        controller.abort();
        signal.throwIfAborted();
      },
    });
    const call = scripted([failure(googleErrors.backendError()), failure(googleErrors.backendError())]);
    await expect(retry.execute(call.run, controller.signal)).rejects.toThrow();
    expect(call.calls()).toBe(1);
  });
});
