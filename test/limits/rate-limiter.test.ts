import { describe, expect, it } from "vitest";
import { RetryInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { reasonOf } from "../../src/contract/errors.js";
import { createRateLimiter } from "../../src/server/rate-limiter.js";

describe("the per-credential token bucket", () => {
  const clock = () => {
    let ms = 0;
    return {
      now: () => ms,
      advance: (by: number) => {
        ms += by;
      },
    };
  };

  it("admits a burst, then refuses with RATE_LIMITED and the wait until the next token", () => {
    const time = clock();
    const limiter = createRateLimiter({ ratePerSec: 2, burst: 3, now: time.now });
    expect([1, 2, 3].map(() => limiter.take("google", "CreateBooking"))).toEqual([undefined, undefined, undefined]);
    const refused = limiter.take("google", "CreateBooking");
    expect(refused && reasonOf(refused)).toBe("RATE_LIMITED");
    expect(refused?.metadata.get("retry-after")).toBe("1");
    expect(refused?.findDetails(RetryInfoSchema)[0]?.retryDelay?.seconds).toBe(1n);
  });

  it("refills at the configured rate, never above the burst", () => {
    const time = clock();
    const limiter = createRateLimiter({ ratePerSec: 2, burst: 2, now: time.now });
    limiter.take("google", "ListBookings");
    limiter.take("google", "ListBookings");
    expect(limiter.take("google", "ListBookings")).toBeDefined();
    time.advance(500);
    expect(limiter.take("google", "ListBookings")).toBeUndefined();
    expect(limiter.take("google", "ListBookings")).toBeDefined();
    time.advance(60_000);
    expect([1, 2, 3].map(() => limiter.take("google", "ListBookings") === undefined)).toEqual([true, true, false]);
  });

  it("keeps one bucket per credential user and never limits HealthCheck", () => {
    const time = clock();
    const limiter = createRateLimiter({ ratePerSec: 1, burst: 1, now: time.now });
    expect(limiter.take("google", "CreateBooking")).toBeUndefined();
    expect(limiter.take("google", "CreateBooking")).toBeDefined();
    expect(limiter.take("partner-b", "CreateBooking")).toBeUndefined();
    expect(limiter.take("google", "HealthCheck")).toBeUndefined();
  });

  it("refuses a configuration that would admit nothing", () => {
    expect(() => createRateLimiter({ ratePerSec: 0, burst: 1 })).toThrow(/rate/);
    expect(() => createRateLimiter({ ratePerSec: 1, burst: 0 })).toThrow(/burst/);
  });
});
