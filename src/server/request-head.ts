import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";
import type { ConnectError } from "@connectrpc/connect";
import { rpcError } from "../contract/errors.js";

/** The longest delay a Node timer keeps; a longer one fires after 1 ms. */
export const maxTimerMs = 2_147_483_647;

// A DNS name or IPv4 address, or an IPv6 literal in brackets, with an optional port.
const authorityPattern = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;
const grpcTimeoutPattern = /^(\d{1,8})([HMSmun])$/;
const connectTimeoutPattern = /^\d{1,10}$/;
const grpcUnitMs: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1_000, m: 1, u: 0.001, n: 0.000_001 };

/** The authority a request names: `:authority` on HTTP/2, else `Host`. */
export function authorityOf(req: IncomingMessage | Http2ServerRequest): string | undefined {
  if ("authority" in req && typeof req.authority === "string") return req.authority;
  const host = req.headers.host;
  return typeof host === "string" ? host : undefined;
}

/**
 * Checks the parts of a request head that libraries parse without guarding: the authority (connect-node
 * builds a URL from it and throws on garbage) and the request target. Returns the error to answer
 * with, or undefined. Messages never repeat what the client sent.
 */
export function checkRequestHead(req: IncomingMessage | Http2ServerRequest): ConnectError | undefined {
  const authority = authorityOf(req);
  if (authority === undefined || !authorityPattern.test(authority)) {
    return rpcError("MALFORMED_REQUEST", "the request must name a valid host (Host or :authority header)");
  }
  try {
    new URL(req.url ?? "/", `http://${authority}`);
  } catch {
    return rpcError("MALFORMED_REQUEST", "the request target is not a valid path");
  }
  return undefined;
}

/** The client's deadline from its headers, or the error to answer a malformed one with. */
export type ClientTimeout =
  | { timeoutMs?: number; problem?: undefined }
  | { timeoutMs?: undefined; problem: ConnectError };

/**
 * Reads the client's deadline (`grpc-timeout`, `connect-timeout-ms`; the sooner when both are sent).
 * A valid timeout longer than a Node timer can hold is clamped to the longest one (a longer timer
 * would fire after 1 ms).
 */
export function readClientTimeout(headers: IncomingHttpHeaders): ClientTimeout {
  let timeoutMs: number | undefined;
  const grpc = headers["grpc-timeout"];
  if (grpc !== undefined) {
    const match = typeof grpc === "string" ? grpcTimeoutPattern.exec(grpc) : null;
    if (!match) {
      return {
        problem: rpcError(
          "MALFORMED_REQUEST",
          "grpc-timeout must be 1 to 8 digits followed by a unit (H, M, S, m, u, n)",
        ),
      };
    }
    timeoutMs = Math.min(maxTimerMs, Number(match[1]) * (grpcUnitMs[match[2] ?? "S"] ?? 1));
  }
  const connect = headers["connect-timeout-ms"];
  if (connect !== undefined) {
    if (typeof connect !== "string" || !connectTimeoutPattern.test(connect)) {
      return { problem: rpcError("MALFORMED_REQUEST", "connect-timeout-ms must be 1 to 10 digits") };
    }
    timeoutMs = Math.min(timeoutMs ?? maxTimerMs, Number(connect));
  }
  return timeoutMs === undefined ? {} : { timeoutMs };
}

/**
 * Rewrites the deadline headers in place before connect-node reads them: a malformed value is removed
 * (the call is answered with the problem `readClientTimeout` found), a huge one clamped.
 */
export function rewriteClientTimeout(headers: IncomingHttpHeaders, timeout: ClientTimeout): void {
  if (timeout.problem) {
    delete headers["grpc-timeout"];
    delete headers["connect-timeout-ms"];
    return;
  }
  const grpc = headers["grpc-timeout"];
  const grpcMatch = typeof grpc === "string" ? grpcTimeoutPattern.exec(grpc) : null;
  if (grpcMatch && Number(grpcMatch[1]) * (grpcUnitMs[grpcMatch[2] ?? "S"] ?? 1) > maxTimerMs) {
    headers["grpc-timeout"] = `${Math.floor(maxTimerMs / 1000)}S`;
  }
  const connect = headers["connect-timeout-ms"];
  if (typeof connect === "string" && Number(connect) > maxTimerMs) headers["connect-timeout-ms"] = String(maxTimerMs);
}
