import http2 from "node:http2";
import { create, type DescService, type MessageShape, toBinary } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  createContextValues,
  type HandlerContext,
  type Interceptor,
  type MethodImplSpec,
} from "@connectrpc/connect";
import { invokeUnaryImplementation } from "@connectrpc/connect/protocol";
import { setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
import type { Logger } from "../logger.js";
import type { Authenticator, AuthResult } from "./credentials.js";
import { bodyTooLarge, decodeUnaryBody, encodeFrame } from "./grpc-unary-body.js";
import { bodyErrorKey, headerAuthKey } from "./request-body-guard.js";
import { readClientTimeout } from "./request-head.js";

type UnarySpec = MethodImplSpec & { kind: "unary" };

/** Takes over an HTTP/2 stream before the request handler sees it; false leaves it to the handler. */
export type Http2StreamClaim = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => boolean;

/** What the fast path serves and the policies every call obeys (the same as connect-node's). */
export interface GrpcFastPathOptions {
  service: DescService;
  specs: ReadonlyMap<string, UnarySpec>;
  interceptors: Interceptor[];
  maxBodyBytes: number;
  logger: Logger;
  /** Checks the credentials from the headers, before any body is read; without it only the interceptors check. */
  authenticate?: Authenticator;
}

// Given to the signal of every finished call, as connect-node aborts it; a shared reason spares the
// DOMException that an abort without one would construct per call.
const callEnded = new ConnectError("the call has ended", Code.Canceled);

/**
 * Serves unary gRPC calls (binary, identity encoding, well-formed deadline) straight on the HTTP/2
 * stream API: read one frame, run the same handler behind the same interceptors, write one frame and
 * the `grpc-status` trailers. Anything else (gRPC-Web, JSON, compression, unknown paths, streaming)
 * is not claimed and goes to connect-node, which answers it as before.
 */
export function createGrpcFastPath(options: GrpcFastPathOptions): Http2StreamClaim {
  const byPath = new Map<string, UnarySpec>();
  for (const [name, spec] of options.specs) byPath.set(`/${options.service.typeName}/${name}`, spec);
  return (stream, headers) => {
    const spec = byPath.get(headers[":path"] ?? "");
    if (!spec || headers[":method"] !== "POST") return false;
    const contentType = headers["content-type"];
    if (contentType !== "application/grpc" && contentType !== "application/grpc+proto") return false;
    const encoding = headers["grpc-encoding"];
    if (encoding !== undefined && encoding !== "identity") return false;
    const timeout = readClientTimeout(headers);
    // The Connect entry path answers a malformed grpc-timeout.
    if (timeout.problem) return false;
    // Like connect-node, the deadline runs from the request headers, not from the end of the body.
    const deadline = timeout.timeoutMs === undefined ? undefined : Date.now() + timeout.timeoutMs;
    serveUnary(stream, headers, spec, deadline, options);
    return true;
  };
}

function serveUnary(
  stream: http2.ServerHttp2Stream,
  headers: http2.IncomingHttpHeaders,
  spec: UnarySpec,
  deadline: number | undefined,
  options: GrpcFastPathOptions,
): void {
  const limit = options.maxBodyBytes + 5;
  const chunks: Buffer[] = [];
  let size = 0;
  let started = false;
  stream.on("error", () => {
    // A reset or broken connection: the close handler below aborts the call.
  });
  const auth = options.authenticate?.(headers.authorization);
  const start = (tooLarge: boolean): void => {
    if (started) return;
    started = true;
    const body = tooLarge
      ? { problem: bodyTooLarge(options.maxBodyBytes) }
      : auth?.ok === false
        ? { message: create(spec.method.input), problem: undefined }
        : decodeUnaryBody(spec.method.input, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    try {
      runCall(stream, headers, spec, deadline, auth, body.problem ? undefined : body.message, body.problem, options);
    } catch (error) {
      // Only a request header that Fetch's Headers refuses can get here; nothing was sent yet.
      options.logger.error({ err: error, rpc: spec.method.name }, "could not start gRPC call");
      if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    }
  };
  if (auth?.ok === false || Number(headers["content-length"] ?? "0") > limit) {
    // Refused from the headers alone: the body is never buffered or decoded; once the answer is sent,
    // the stream guard stops an upload still under way.
    stream.resume();
    start(auth?.ok !== false);
    return;
  }
  stream.on("data", (chunk: Buffer) => {
    if (started) return;
    size += chunk.byteLength;
    if (size > limit) start(true);
    else chunks.push(chunk);
  });
  stream.once("end", () => {
    // A stream reset before its end also ends the body; what arrived is not the request.
    if (stream.aborted) return;
    start(false);
  });
}

function runCall(
  stream: http2.ServerHttp2Stream,
  headers: http2.IncomingHttpHeaders,
  spec: UnarySpec,
  deadline: number | undefined,
  auth: AuthResult | undefined,
  message: MessageShape<UnarySpec["method"]["input"]> | undefined,
  problem: ConnectError | undefined,
  options: GrpcFastPathOptions,
): void {
  const controller = new AbortController();
  const values = createContextValues().set(headerAuthKey, auth);
  // The validation interceptor answers with this, after observation and auth, as for connect-node.
  if (problem) values.set(bodyErrorKey, problem);
  const timedOut = (): void => controller.abort(new ConnectError("the operation timed out", Code.DeadlineExceeded));
  let timer: NodeJS.Timeout | undefined;
  if (deadline !== undefined) {
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) timedOut();
    else timer = setTimeout(timedOut, remainingMs);
  }
  const requestHeader = new Headers();
  for (const key in headers) {
    if (key.charCodeAt(0) === 58 /* ":" */) continue;
    const value = headers[key];
    if (typeof value === "string") requestHeader.append(key, value);
    else if (Array.isArray(value)) for (const item of value) requestHeader.append(key, item);
    else if (value !== undefined) requestHeader.append(key, String(value));
  }
  const path = headers[":path"] ?? "";
  const context: HandlerContext = {
    service: spec.method.parent,
    method: spec.method,
    signal: controller.signal,
    timeoutMs: () => (deadline === undefined ? undefined : deadline - Date.now()),
    requestMethod: "POST",
    requestHeader,
    responseHeader: new Headers({ "content-type": "application/grpc+proto" }),
    responseTrailer: new Headers({ "grpc-status": "0" }),
    protocolName: "grpc",
    values,
    url: `${headers[":scheme"] ?? "http"}://${headers[":authority"] ?? "localhost"}${path}`,
  };
  const onClose = (): void => {
    if (!controller.signal.aborted) {
      controller.abort(new ConnectError(`http/2 stream closed with code ${stream.rstCode}`, Code.Canceled));
    }
  };
  stream.once("close", onClose);
  const finish = (frame: Buffer | undefined, error: ConnectError | undefined): void => {
    clearTimeout(timer);
    stream.off("close", onClose);
    if (error) setTrailerStatus(context.responseTrailer, error);
    if (!controller.signal.aborted) controller.abort(error ?? callEnded);
    respond(stream, context, frame, options.logger);
  };
  invokeUnaryImplementation(spec, context, message ?? create(spec.method.input), options.interceptors).then(
    (output) => {
      let frame: Buffer;
      try {
        frame = encodeFrame(toBinary(spec.method.output, output));
      } catch (e) {
        finish(undefined, new ConnectError("internal error", Code.Internal, undefined, undefined, e));
        return;
      }
      finish(frame, undefined);
    },
    (e: unknown) => {
      finish(
        undefined,
        e instanceof ConnectError ? e : new ConnectError("internal error", Code.Internal, undefined, undefined, e),
      );
    },
  );
}

function respond(stream: http2.ServerHttp2Stream, context: HandlerContext, frame: Buffer | undefined, logger: Logger) {
  if (stream.destroyed || stream.closed) return;
  const head: http2.OutgoingHttpHeaders = { ":status": 200 };
  context.responseHeader.forEach((value, key) => {
    head[key] = value;
  });
  const trailers: http2.OutgoingHttpHeaders = {};
  context.responseTrailer.forEach((value, key) => {
    trailers[key] = value;
  });
  try {
    stream.respond(head, { waitForTrailers: true });
    stream.once("wantTrailers", () => stream.sendTrailers(trailers));
    stream.end(frame);
  } catch (error) {
    // E.g. a handler set a connection-specific header, which HTTP/2 forbids.
    logger.error({ err: error, rpc: context.method.name }, "could not write gRPC response");
    stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  }
}
