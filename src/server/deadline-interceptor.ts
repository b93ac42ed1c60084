import { Code, ConnectError, createContextKey, type Interceptor } from "@connectrpc/connect";
import { rpcError } from "../contract/errors.js";
import { callControllerKey } from "./call-context.js";

/**
 * When the client's deadline passes (epoch ms), counted from the arrival of the request head; entry
 * paths that read the whole body before the chain runs set it, so a slow body counts against it.
 */
export const clientDeadlineKey = createContextKey<number | undefined>(undefined);

/** Server-side time limits per call, in milliseconds. */
export interface DeadlineOptions {
  /** For methods without their own entry. */
  defaultMs: number;
  /** By method name, e.g. `{ BatchAvailabilityLookup: 1500 }`. */
  byMethod: Readonly<Record<string, number>>;
}

/** Google gives BatchAvailabilityLookup 1.5 s; other methods have no documented limit. */
export const defaultDeadlines: DeadlineOptions = { defaultMs: 10_000, byMethod: { BatchAvailabilityLookup: 1_500 } };

/**
 * Bounds every handler by the sooner of the client's deadline (`grpc-timeout`, `connect-timeout-ms`)
 * and the server's per-method deadline. When it passes, the handler's signal is aborted and the call
 * answers DEADLINE_EXCEEDED at once; a handler that finishes later is ignored, never sent as a success.
 */
export function createDeadlineInterceptor(options: DeadlineOptions): Interceptor {
  return (next) => async (req) => {
    const limitMs = options.byMethod[req.method.name] ?? options.defaultMs;
    // A call whose deadline passed before its handler could start is refused without running it: the
    // client has stopped waiting, so a booking made now would be one it never learns of.
    const clientDeadline = req.contextValues.get(clientDeadlineKey);
    if (clientDeadline !== undefined && Date.now() >= clientDeadline) throw clientDeadlineExceeded();
    if (req.signal.aborted) throw abortError(req.signal.reason, { method: req.method.name, limitMs });
    // The error is built only when the limit passes: its details cost more than a no-op call.
    const expired = { method: req.method.name, limitMs };
    // The call's own controller when the entry path made it; on connect-node's path the signal is the
    // library's, so a second controller is linked to it.
    const own = req.contextValues.get(callControllerKey);
    const controller = own?.signal === req.signal ? own : new AbortController();
    const timer = setTimeout(() => controller.abort(expired), limitMs);
    const forward = controller === own ? undefined : (): void => controller.abort(req.signal.reason);
    if (forward) req.signal.addEventListener("abort", forward, { once: true });
    let stop: (() => void) | undefined;
    try {
      const pending = next(forward ? { ...req, signal: controller.signal } : req);
      return await new Promise<Awaited<typeof pending>>((resolve, reject) => {
        pending.then(resolve, reject);
        stop = (): void => reject(abortError(controller.signal.reason, expired));
        if (controller.signal.aborted) stop();
        else controller.signal.addEventListener("abort", stop, { once: true });
      });
    } finally {
      clearTimeout(timer);
      // The call's own signal is aborted when the call ends; the race is over by then.
      if (stop) controller.signal.removeEventListener("abort", stop);
      if (forward) req.signal.removeEventListener("abort", forward);
    }
  };
}

function abortError(reason: unknown, expired: { method: string; limitMs: number }): ConnectError {
  if (reason === expired) {
    return rpcError(
      "DEADLINE_EXCEEDED",
      `${expired.method} did not finish within the server's limit of ${expired.limitMs} ms`,
    );
  }
  if (reason instanceof ConnectError && reason.code === Code.DeadlineExceeded) return clientDeadlineExceeded();
  return rpcError("CANCELLED", "the call was cancelled before it finished");
}

function clientDeadlineExceeded(): ConnectError {
  return rpcError("DEADLINE_EXCEEDED", "the call did not finish within the deadline the client set");
}
