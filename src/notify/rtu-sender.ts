import type { OutboxEntry } from "../booking/outbox-entry.js";
import { retryAfterMs } from "./delivery-backoff.js";
import type { RequestSigner } from "./notify-auth.js";
import { rtuRequestOf } from "./rtu-request.js";

/** What one delivery attempt came to. */
export type SendOutcome =
  | { kind: "delivered" }
  /** 429, 5xx, a timeout or a network failure: try again later (after `retryAfterMs` when the server said). */
  | { kind: "retry"; error: string; retryAfterMs?: number }
  /** Any other 4xx: the aggregator refused the update; sending it again as is would not help. */
  | { kind: "failed"; error: string };

/** Where and how real-time updates are sent. */
export interface RtuSenderOptions {
  partnerId: string;
  rootUrl: string;
  sign: RequestSigner;
  /** Limit on one request, token exchange included. */
  timeoutMs: number;
  nowMs?: () => number;
}

/** Sends one outbox entry to the aggregator. */
export type RtuSender = (entry: OutboxEntry) => Promise<SendOutcome>;

/** Creates the sender of real-time updates over fetch, signed with the service account's token. */
export function createRtuSender(options: RtuSenderOptions): RtuSender {
  const nowMs = options.nowMs ?? Date.now;
  return async (entry) => {
    const request = rtuRequestOf(entry, options.partnerId, options.rootUrl);
    let response: Response;
    try {
      const signal = AbortSignal.timeout(options.timeoutMs);
      const auth = await options.sign();
      response = await fetch(request.url, {
        method: request.method,
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify(request.body),
        signal,
      });
    } catch (error) {
      const name = (error as Error).name;
      const timedOut = name === "TimeoutError" || name === "AbortError";
      return { kind: "retry", error: timedOut ? "timed out" : `request failed: ${(error as Error).message}` };
    }
    const text = await response.text().catch(() => "");
    if (response.ok) return { kind: "delivered" };
    const error = `HTTP ${response.status}${googleStatusOf(text)}`;
    if (response.status === 429 || response.status === 408 || response.status >= 500) {
      const after = retryAfterMs(response.headers.get("retry-after"), nowMs());
      return { kind: "retry", error, ...(after !== undefined ? { retryAfterMs: after } : {}) };
    }
    return { kind: "failed", error };
  };
}

/** ` STATUS: message` from Google's JSON error body, shortened; empty when the body is not one. */
function googleStatusOf(text: string): string {
  try {
    const { error } = JSON.parse(text) as { error?: { status?: string; message?: string } };
    if (!error) return "";
    const message = (error.message ?? "").slice(0, 200);
    return ` ${error.status ?? ""}${message ? `: ${message}` : ""}`;
  } catch {
    return "";
  }
}
