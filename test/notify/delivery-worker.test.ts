import { describe, expect, it } from "vitest";
import type { NotificationOutbox } from "../../src/booking/notification-outbox.js";
import type { OutboxEntry } from "../../src/booking/outbox-entry.js";
import { createLogger } from "../../src/logger.js";
import { backoffMs, retryAfterMs } from "../../src/notify/delivery-backoff.js";
import { createDeliveryWorker } from "../../src/notify/delivery-worker.js";
import type { SendOutcome } from "../../src/notify/rtu-sender.js";

const entry: OutboxEntry = {
  entryId: 7,
  key: "booking:b1",
  bookingId: "b1",
  merchantId: "m1",
  serviceId: "s1",
  payload: {
    kind: "booking",
    booking: {
      bookingId: "b1",
      merchantId: "m1",
      serviceId: "s1",
      startSec: 0,
      durationSec: 60,
      partySize: 0,
      status: "CANCELED",
    },
    updateMask: ["status"],
  },
  createdSec: 1000,
  state: "pending",
  attempts: 2,
  lastError: "",
  nextAttemptMs: 0,
  deliveredSec: 0,
};

/** One claim of `entry`, the outcome `send` gives, and what the worker recorded. */
async function attempt(outcome: SendOutcome, createdSec = 1000) {
  const calls: unknown[][] = [];
  const outbox = {
    claim: async () => [{ ...entry, createdSec }],
    markDelivered: async (...args: unknown[]) => void calls.push(["delivered", ...args]),
    markRetry: async (...args: unknown[]) => void calls.push(["retry", ...args]),
    markFailed: async (...args: unknown[]) => void calls.push(["failed", ...args]),
  } as unknown as NotificationOutbox;
  const worker = createDeliveryWorker({
    outbox,
    send: async () => outcome,
    clock: { nowSec: () => 1000 },
    logger: createLogger({ level: "silent" }),
    nowMs: () => 50_000,
    random: () => 1,
    backoff: { baseMs: 100, capMs: 1000 },
  });
  await worker.runOnce();
  return calls;
}

describe("delivery worker", () => {
  it("backs off exponentially with full jitter under the cap", () => {
    const options = { baseMs: 100, capMs: 1000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, options, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffMs(3, options, () => 0)).toBe(0);
    expect(retryAfterMs("3", 0)).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(retryAfterMs("soon", 0)).toBeUndefined();
  });

  it("waits at least the Retry-After, even past the backoff cap", async () => {
    expect(await attempt({ kind: "retry", error: "HTTP 429", retryAfterMs: 5000 })).toEqual([
      ["retry", 7, "HTTP 429", 55_000],
    ]);
    expect(await attempt({ kind: "retry", error: "HTTP 503" })).toEqual([["retry", 7, "HTTP 503", 50_400]]);
  });

  it("marks a refused update failed, a delivered one delivered, and an expired one failed unsent", async () => {
    expect(await attempt({ kind: "failed", error: "HTTP 400" })).toEqual([["failed", 7, "HTTP 400"]]);
    expect(await attempt({ kind: "delivered" })).toEqual([["delivered", 7, 1000]]);
    const expired = await attempt({ kind: "delivered" }, 1000 - 2 * 24 * 3600);
    expect(expired).toEqual([["failed", 7, expect.stringContaining("expired")]]);
  });
});
