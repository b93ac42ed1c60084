import type { FuzzTarget } from "./fuzz-target.js";
import { sendHttp1 } from "./raw-http1.js";
import { sendHttp2 } from "./raw-http2.js";
import { grpcStatusOf } from "./reply-oracle.js";
import { buildRequest, http1Bytes, http2Headers, type Protocol, protocols } from "./transport-request.js";

const healthCheckSeed = 0;

/**
 * Calls HealthCheck, authenticated, on every protocol over HTTP/1.1 and HTTP/2 (gRPC over HTTP/2
 * only) and lists every call that did not succeed.
 */
export async function healthOnEveryProtocol(target: FuzzTarget): Promise<string[]> {
  const problems: string[] = [];
  const calls = protocols.flatMap((protocol): { protocol: Protocol; http2: boolean }[] =>
    protocol === "grpc" ? [{ protocol, http2: true }] : [false, true].map((http2) => ({ protocol, http2 })),
  );
  for (const { protocol, http2 } of calls) {
    const request = buildRequest(
      { protocol, seed: healthCheckSeed, edits: [] },
      { authority: target.authority, authorization: target.server.authHeader, http2 },
    );
    const outcome = http2
      ? await sendHttp2(target.http2, http2Headers(request), request.sent, { timeoutMs: 5_000 })
      : await sendHttp1(target.http1, http1Bytes(request), { timeoutMs: 5_000 });
    const label = `${protocol} over ${http2 ? "HTTP/2" : "HTTP/1.1"}`;
    if (outcome.kind !== "response") {
      problems.push(`${label}: ${outcome.kind}`);
      continue;
    }
    const grpcStatus = grpcStatusOf(outcome);
    if (outcome.status !== 200 || (protocol.startsWith("grpc") && grpcStatus !== "0")) {
      problems.push(`${label}: HTTP ${outcome.status}, grpc-status ${grpcStatus}`);
    }
  }
  return problems;
}
