import type { FuzzTarget, TableState } from "./fuzz-target.js";
import { sendHttp1 } from "./raw-http1.js";
import { type Http2Outcome, sendHttp2 } from "./raw-http2.js";
import { judgeOutcome } from "./reply-oracle.js";
import {
  buildRequest,
  http1Bytes,
  http1NeedsEof,
  http2Headers,
  type RawRequest,
  type TransportCase,
} from "./transport-request.js";

/** Milliseconds a fuzzed request may take before it counts as a hang (generous for a busy 2-core machine). */
export const perRequestTimeoutMs = 4_000;

/**
 * fast-check limits for the properties of one file: each stops generating and shrinking after
 * `propertyMs`, and all of them together after `fileMs`, so a server that hangs on every case
 * (4 s each) still fails the file in under a minute instead of timing out.
 */
export function createRunBudget(fileMs = 40_000, propertyMs = 10_000): () => { interruptAfterTimeLimit: number } {
  const started = Date.now();
  return () => ({
    interruptAfterTimeLimit: Math.max(1_000, Math.min(propertyMs, fileMs - (Date.now() - started))),
  });
}

/** Counts of what the cases of one property got back, to show the property exercised the server. */
export type OutcomeTally = Record<string, number>;

/**
 * Sends one case over HTTP/1.x or HTTP/2 and throws, describing the request, when the answer breaks
 * the oracle (judgeOutcome), the process saw an uncaught exception, HealthCheck stops answering, or
 * a booking table changed.
 */
export async function checkCase(
  target: FuzzTarget,
  c: TransportCase,
  wire: "http1" | "http2",
  expected: TableState,
  tally: OutcomeTally = {},
): Promise<void> {
  const crashesBefore = target.crashes().length;
  const overflowsBefore = target.timerOverflows().length;
  const request = buildRequest(c, {
    authority: target.authority,
    authorization: target.server.authHeader,
    http2: wire === "http2",
  });
  const started = performance.now();
  const outcome =
    wire === "http1"
      ? await sendHttp1(target.http1, http1Bytes(request), {
          timeoutMs: perRequestTimeoutMs,
          endAfterWrite: http1NeedsEof(request),
          head: request.method === "HEAD",
          signal: target.crashSignal(),
        })
      : await sendHttp2(target.http2, http2Headers(request), request.sent, {
          timeoutMs: perRequestTimeoutMs,
          signal: target.crashSignal(),
        });
  const elapsedMs = performance.now() - started;
  const key = outcome.kind === "response" ? `${outcome.kind} ${outcome.status}` : outcome.kind;
  tally[key] = (tally[key] ?? 0) + 1;
  const problems: string[] = [];
  const deadlineMs = deadlineOf(request, wire);
  const verdict = judgeOutcome(outcome, { elapsedMs, ...(deadlineMs === undefined ? {} : { deadlineMs }) });
  if (verdict) problems.push(verdict);
  const crashes = target.crashes().slice(crashesBefore);
  if (crashes.length > 0) problems.push(`uncaught in the server: ${crashes.map(describeError).join("; ")}`);
  const overflows = target.timerOverflows().slice(overflowsBefore);
  if (overflows.length > 0) problems.push(`the server set a timer Node cut to 1 ms: ${overflows.join("; ")}`);
  const health = await target.healthProblem();
  if (health) problems.push(`afterwards ${health}`);
  const state = target.tableState();
  if (JSON.stringify(state) !== JSON.stringify(expected)) {
    problems.push(`tables changed: ${JSON.stringify(expected)} -> ${JSON.stringify(state)}`);
  }
  if (problems.length > 0) {
    throw new Error(
      `${problems.join("\n")}\n${wire} request: ${describeRequest(request, wire)}\ngot: ${brief(outcome)}`,
    );
  }
}

/**
 * The client's deadline in ms when the request carries one valid grpc-timeout or connect-timeout-ms, as
 * the server receives them: over HTTP/2 a field whose value starts or ends with whitespace is malformed
 * (RFC 9113, section 8.2.1) and never reaches the server, so `grpc-timeout: 1m` plus `grpc-timeout: " "`
 * arrives as one valid `1m`.
 */
function deadlineOf(request: RawRequest, wire: "http1" | "http2"): number | undefined {
  const dropped = (value: string) => wire === "http2" && value !== "" && value.trim() !== value;
  // HTTP/1.1 strips the optional whitespace around a field value (RFC 9110, section 5.5).
  const values = (name: string) =>
    request.fields
      .filter(([n, v]) => n.toLowerCase() === name && !dropped(v))
      .map(([, v]) => (wire === "http1" ? v.trim() : v));
  const [grpc, ...moreGrpc] = values("grpc-timeout");
  const grpcUnit = { H: 3_600_000, M: 60_000, S: 1_000, m: 1, u: 0.001, n: 0.000_001 } as const;
  const match = grpc === undefined || moreGrpc.length > 0 ? null : /^(\d{1,8})([HMSmun])$/.exec(grpc);
  if (match) return Number(match[1]) * grpcUnit[match[2] as keyof typeof grpcUnit];
  const [connect, ...moreConnect] = values("connect-timeout-ms");
  if (connect !== undefined && moreConnect.length === 0 && /^\d{1,10}$/.test(connect)) return Number(connect);
  return undefined;
}

function describeRequest(request: RawRequest, wire: "http1" | "http2"): string {
  const text =
    wire === "http1"
      ? http1Bytes(request).toString("latin1")
      : `${JSON.stringify(http2Headers(request))} body ${request.sent.toString("hex")}`;
  return JSON.stringify(text.length > 700 ? `${text.slice(0, 700)}…(${text.length} chars)` : text);
}

function brief(outcome: Awaited<ReturnType<typeof sendHttp1>> | Http2Outcome): string {
  if (outcome.kind !== "response") return JSON.stringify(outcome);
  const headers = Array.isArray(outcome.headers) ? Object.fromEntries(outcome.headers) : outcome.headers;
  const trailers = Array.isArray(outcome.trailers) ? Object.fromEntries(outcome.trailers) : outcome.trailers;
  return JSON.stringify({
    status: outcome.status,
    headers,
    trailers,
    body: outcome.body.toString("latin1").slice(0, 300),
  });
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
