import type { Http1Outcome } from "./raw-http1.js";
import type { Http2Outcome } from "./raw-http2.js";

/**
 * What a fuzzed request may get back: a well-formed HTTP answer (2xx, 4xx, or a 5xx other than 500),
 * whose body parses for its content type, and for gRPC and gRPC-Web a valid `grpc-status`; or a clean
 * close of the connection or stream. Never a hang, garbage, or an internal error for client garbage.
 * Returns why an outcome breaks that rule, or undefined when it keeps it.
 */
export function judgeOutcome(outcome: Http1Outcome | Http2Outcome, context: JudgeContext = {}): string | undefined {
  switch (outcome.kind) {
    case "response":
      return judgeReply(asReply(outcome), context);
    case "closed":
    case "reset":
    case "unsendable":
      return undefined;
    case "malformed":
      return `malformed reply (${outcome.reason}): ${JSON.stringify(outcome.received)}`;
    case "timeout":
      return `no complete answer within the per-request timeout${"status" in outcome && outcome.status ? ` (status ${outcome.status} sent)` : ""}`;
    case "aborted":
      return "the server threw an uncaught exception while handling the request";
  }
}

/** The grpc-status of a response: from its headers, its trailers, or a gRPC-Web trailer frame. */
export function grpcStatusOf(outcome: Http1Outcome | Http2Outcome): string | undefined {
  if (outcome.kind !== "response") return undefined;
  const reply = asReply(outcome);
  const status = reply.header("grpc-status");
  if (status !== undefined || !(reply.header("content-type") ?? "").startsWith("application/grpc-web")) return status;
  const frames = parseFrames(webBody(reply));
  const trailer = typeof frames === "string" ? undefined : frames.find((frame) => (frame.flags & 0x80) !== 0);
  return trailer ? /^grpc-status:\s*(\S*)\s*$/im.exec(trailer.data.toString("latin1"))?.[1] : undefined;
}

function asReply(outcome: Extract<Http1Outcome | Http2Outcome, { kind: "response" }>): Reply {
  if ("rstCode" in outcome) {
    const { headers, trailers } = outcome;
    return { ...outcome, header: (name) => single(headers[name] ?? trailers[name]) };
  }
  const fields = [...outcome.headers, ...outcome.trailers];
  return { ...outcome, rstCode: 0, header: (name) => fields.find(([n]) => n === name)?.[1] };
}

/** What the request asked for, when the answer depends on it. */
export interface JudgeContext {
  /** The deadline the request carried (grpc-timeout, connect-timeout-ms), in milliseconds. */
  deadlineMs?: number;
  /** How long the exchange took. */
  elapsedMs?: number;
}

interface Reply {
  status: number;
  body: Buffer;
  rstCode: number;
  header(name: string): string | undefined;
}

// unknown, internal, data_loss: what a server answers when it failed, not when the client did.
const internalCodes = new Map([
  [2, "unknown"],
  [13, "internal"],
  [15, "data_loss"],
]);

function judgeReply(reply: Reply, context: JudgeContext): string | undefined {
  if (reply.status < 200 || (reply.status >= 300 && reply.status < 400) || reply.status > 599) {
    return `unexpected HTTP status ${reply.status}`;
  }
  const contentType = (reply.header("content-type") ?? "").toLowerCase();
  const grpcStatus = reply.header("grpc-status");
  if (contentType.startsWith("application/grpc") && reply.status === 200) {
    return judgeGrpc(reply, contentType.startsWith("application/grpc-web"), grpcStatus, context);
  }
  if (reply.status === 500) return `HTTP 500 with ${JSON.stringify(reply.body.toString("utf8").slice(0, 200))}`;
  if (contentType.startsWith("application/json") && reply.body.length > 0) {
    let json: unknown;
    try {
      json = JSON.parse(reply.body.toString("utf8"));
    } catch {
      return `unparsable JSON body: ${JSON.stringify(reply.body.toString("utf8").slice(0, 200))}`;
    }
    const code = (json as { code?: unknown }).code;
    if (reply.status >= 400 && (code === "internal" || code === "unknown" || code === "data_loss")) {
      return `Connect error "${code}": ${JSON.stringify(json).slice(0, 200)}`;
    }
    if ((code === "deadline_exceeded" || reply.status === 504) && expiredEarly(context)) {
      return `deadline of ${context.deadlineMs} ms reported exceeded after ${Math.round(context.elapsedMs ?? 0)} ms`;
    }
  }
  return undefined;
}

function judgeGrpc(reply: Reply, web: boolean, headerStatus: string | undefined, context: JudgeContext) {
  let status = headerStatus;
  if (web && status === undefined) {
    const frames = parseFrames(webBody(reply));
    if (typeof frames === "string") return `gRPC-Web body: ${frames}`;
    const trailer = frames.find((frame) => (frame.flags & 0x80) !== 0);
    if (!trailer) return "gRPC-Web answer without grpc-status (no trailer frame)";
    status = /^grpc-status:\s*(\S*)\s*$/im.exec(trailer.data.toString("latin1"))?.[1];
  } else if (!web && headerStatus === undefined && reply.body.length > 0) {
    const frames = parseFrames(reply.body);
    if (typeof frames === "string" && reply.rstCode === 0) return `gRPC body: ${frames}`;
  }
  if (status === undefined) {
    // A reset stream is a clean end for a gRPC client (it maps the reset code to a status).
    return reply.rstCode === 0 ? "gRPC answer without grpc-status" : undefined;
  }
  if (!/^\d+$/.test(status) || Number(status) > 16) return `invalid grpc-status ${JSON.stringify(status)}`;
  const code = Number(status);
  const internal = internalCodes.get(code);
  if (internal)
    return `grpc-status ${code} (${internal}): ${decodeURIComponentSafe(reply.header("grpc-message") ?? "")}`;
  if (code === 4 && expiredEarly(context)) {
    return `grpc-status 4 (deadline_exceeded) after ${Math.round(context.elapsedMs ?? 0)} ms for a deadline of ${context.deadlineMs} ms`;
  }
  return undefined;
}

function expiredEarly(context: JudgeContext): boolean {
  const { deadlineMs, elapsedMs } = context;
  return deadlineMs !== undefined && elapsedMs !== undefined && deadlineMs >= 2_000 && elapsedMs < deadlineMs / 2;
}

/**
 * The frames of a gRPC-Web body: as sent, or base64-decoded for `application/grpc-web-text`, whose
 * messages and trailer frame may each be encoded (and padded) on their own.
 */
function webBody(reply: Reply): Buffer {
  if (!(reply.header("content-type") ?? "").toLowerCase().startsWith("application/grpc-web-text")) return reply.body;
  const text = reply.body.toString("latin1").replace(/\s+/g, "");
  return Buffer.concat(text.split(/(?<==)(?=[^=])/).map((part) => Buffer.from(part, "base64")));
}

/** Splits a gRPC(-Web) body into its length-prefixed frames; a string says why it cannot. */
function parseFrames(body: Buffer): { flags: number; data: Buffer }[] | string {
  const frames: { flags: number; data: Buffer }[] = [];
  let offset = 0;
  while (offset < body.length) {
    if (body.length - offset < 5) return `truncated frame header at byte ${offset}`;
    const flags = body[offset] as number;
    const length = body.readUInt32BE(offset + 1);
    if (body.length - offset - 5 < length) return `frame of ${length} bytes truncated at byte ${offset}`;
    frames.push({ flags, data: body.subarray(offset + 5, offset + 5 + length) });
    offset += 5 + length;
  }
  return frames;
}

function single(value: string | string[] | number | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(", ") : String(value);
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
