import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { BookingFailure_Cause } from "../../gen/booking/partner/v3/booking_pb.js";
import { aggregatorKey, callerKey, protocolKey, requestIdKey } from "../contract/caller-context.js";
import { reasonOf, rpcError } from "../contract/errors.js";
import type { Logger } from "../logger.js";
import { authResultKey, credentialsRefusal } from "./call-credentials.js";
import { type CallObserver, resolveRequestId } from "./call-log.js";
import type { Authenticator } from "./credentials.js";
import { protocolOf } from "./protocol-of.js";

/** The snake_case name of a status code, as gRPC and the Connect protocol spell it. */
export function codeName(code: Code): string {
  return (Code[code] ?? "Unknown").replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}

/** The fields of a failed call's record: its outcome (reason or code), code and duration. */
export function failureOf(error: ConnectError, started: number) {
  return {
    outcome: reasonOf(error) ?? codeName(error.code),
    code: codeName(error.code),
    durationMs: performance.now() - started,
    replayed: false,
  };
}

/** A booking failure cause carried by a successful response, if any. */
function failureCauseOf(message: unknown): string | undefined {
  const failure = (message as { bookingFailure?: { cause: BookingFailure_Cause } }).bookingFailure;
  return failure ? (BookingFailure_Cause[failure.cause] ?? "CAUSE_UNSPECIFIED") : undefined;
}

/**
 * Outermost interceptor: assigns the request id, times the call, reports it to the observer, and
 * turns anything that is not a ConnectError into a bare INTERNAL error so internals never leak.
 */
export function createObserveInterceptor(observe: CallObserver, logger: Logger): Interceptor {
  return (next) => async (req) => {
    const started = performance.now();
    const requestId = resolveRequestId(req.header.get("x-request-id"));
    req.contextValues.set(requestIdKey, requestId);
    const protocol =
      req.contextValues.get(protocolKey) === "rest" ? "rest" : protocolOf(req.header.get("content-type"));
    req.contextValues.set(protocolKey, protocol);
    const base = { rpc: req.method.name, protocol, requestId };
    try {
      const res = await next(req);
      res.header.set("x-request-id", requestId);
      observe({
        ...base,
        outcome: failureCauseOf(res.message) ?? "ok",
        durationMs: performance.now() - started,
        replayed: res.header.get("idempotent-replayed") === "true",
        caller: req.contextValues.get(callerKey),
      });
      return res;
    } catch (thrown) {
      let error: ConnectError;
      if (thrown instanceof ConnectError) {
        error = thrown;
      } else {
        logger.error({ err: thrown, requestId, rpc: req.method.name }, "unhandled error in handler");
        error = rpcError("INTERNAL", "internal error");
      }
      error.metadata.set("x-request-id", requestId);
      observe({ ...base, ...failureOf(error, started), caller: req.contextValues.get(callerKey) });
      throw error;
    }
  };
}

/** Rejects calls without valid HTTP Basic credentials before any handler runs. */
export function createAuthInterceptor(authenticate: Authenticator): Interceptor {
  return (next) => async (req) => {
    // Every entry path checks the headers before reading the body; the check runs once per call.
    const result = req.contextValues.get(authResultKey) ?? authenticate(req.header.get("authorization"));
    if (!result.ok) throw credentialsRefusal(result.reason);
    req.contextValues.set(callerKey, result.user).set(aggregatorKey, result.aggregator);
    return next(req);
  };
}
