import http2 from "node:http2";
import { create, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { Code, ConnectError, createContextValues, type HandlerContext } from "@connectrpc/connect";
import type { Logger } from "../logger.js";
import { createCallContext } from "./call-context.js";
import { authResultKey } from "./call-credentials.js";
import { setTrailerStatus } from "./connect-internals.js";
import { writeFrameHeader } from "./grpc-frame.js";
import { declaredOver, readBodyUpTo } from "./node-body-reader.js";
import { createProtoBinaryWriter, type ProtoBinaryWriter } from "./proto-binary-writer.js";
import { bodyErrorKey, bodyLimit, bodyTooLarge, type DecodedBody, decodeBinaryBody, unframe } from "./request-body.js";
import type { RequestCore, UnarySpec } from "./request-core.js";
import { readClientTimeout } from "./request-head.js";

/** Takes over an HTTP/2 stream before the request handler sees it; false leaves it to the handler. */
export type Http2StreamClaim = (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => boolean;

// Given to the signal of every finished call, as connect-node aborts it; a shared reason spares the
// DOMException that an abort without one would construct per call.
const callEnded = new ConnectError("the call has ended", Code.Canceled);

/** The request core to serve over, and where failures are logged. */
export interface GrpcFastPathOptions {
  core: RequestCore;
  logger: Logger;
}

/**
 * The gRPC adapter of the request core: serves unary gRPC calls (binary, identity encoding,
 * well-formed deadline) straight on the HTTP/2 stream API: read one frame, run the same handler behind
 * the same interceptors, write one frame and the `grpc-status` trailers. Anything else (gRPC-Web,
 * JSON, compression, unknown paths, streaming) is not claimed and goes to connect-node.
 */
export function createGrpcFastPath(options: GrpcFastPathOptions): Http2StreamClaim {
  const { core, logger } = options;
  const encode = createProtoBinaryWriter();
  return (stream, headers) => {
    const spec = core.byPath(headers[":path"] ?? "");
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
    void serveUnary(stream, headers, spec, deadline, core, logger, encode);
    return true;
  };
}

async function serveUnary(
  stream: http2.ServerHttp2Stream,
  headers: http2.IncomingHttpHeaders,
  spec: UnarySpec,
  deadline: number | undefined,
  core: RequestCore,
  logger: Logger,
  encode: ProtoBinaryWriter,
): Promise<void> {
  const auth = core.authenticate?.(headers.authorization);
  const values = createContextValues().set(authResultKey, auth);
  const limit = bodyLimit(core.maxBodyBytes, true);
  let body: DecodedBody<DescMessage> | undefined;
  if (auth?.ok === false || declaredOver(headers, limit)) {
    // Refused from the headers alone: the body is never buffered or decoded; once the answer is sent,
    // the stream guard stops an upload still under way.
    stream.on("error", ignore);
    stream.resume();
    if (auth?.ok !== false) body = { problem: bodyTooLarge(core.maxBodyBytes) };
  } else {
    const read = await readBodyUpTo(stream, limit);
    // A stream reset before its end: what arrived is not the request, and no one waits for an answer.
    if (read.cutOff) return;
    body = read.tooLarge ? { problem: bodyTooLarge(core.maxBodyBytes) } : decodeFrame(spec, read.bytes);
  }
  if (body?.problem) values.set(bodyErrorKey, body.problem);
  try {
    runCall(stream, headers, spec, deadline, values, body?.message ?? create(spec.method.input), core, logger, encode);
  } catch (error) {
    // Only a request header that Fetch's Headers refuses can get here; nothing was sent yet.
    logger.error({ err: error, rpc: spec.method.name }, "could not start gRPC call");
    if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
  }
}

function decodeFrame(spec: UnarySpec, bytes: Uint8Array): DecodedBody<DescMessage> {
  const frame = unframe(bytes, "identity");
  return frame.problem ? frame : decodeBinaryBody(spec.method.input, frame.payload);
}

function ignore(): void {
  // A reset or broken connection: the close handler of the call aborts it.
}

function runCall(
  stream: http2.ServerHttp2Stream,
  headers: http2.IncomingHttpHeaders,
  spec: UnarySpec,
  deadline: number | undefined,
  values: ReturnType<typeof createContextValues>,
  message: MessageShape<DescMessage>,
  core: RequestCore,
  logger: Logger,
  encode: ProtoBinaryWriter,
): void {
  const path = headers[":path"] ?? "";
  const call = createCallContext({
    method: spec.method,
    protocolName: "grpc",
    requestMethod: "POST",
    url: `${headers[":scheme"] ?? "http"}://${headers[":authority"] ?? "localhost"}${path}`,
    headers,
    values,
    ...(deadline === undefined ? {} : { deadline }),
    responseHeader: new Headers({ "content-type": "application/grpc+proto" }),
    responseTrailer: new Headers({ "grpc-status": "0" }),
  });
  const { context, controller } = call;
  const onClose = (): void => {
    if (!controller.signal.aborted) {
      controller.abort(new ConnectError(`http/2 stream closed with code ${stream.rstCode}`, Code.Canceled));
    }
  };
  stream.once("close", onClose);
  const finish = (frame: Buffer | undefined, error: ConnectError | undefined): void => {
    call.release();
    stream.off("close", onClose);
    if (error) setTrailerStatus(context.responseTrailer, error);
    if (!controller.signal.aborted) controller.abort(error ?? callEnded);
    respond(stream, context, frame, logger);
  };
  core.invoke(spec, context, message).then(
    (output) => {
      let frame: Buffer;
      try {
        // The message is written after 5 reserved bytes, which become the frame header: no copy.
        frame = writeFrameHeader(encode.encode(spec.method.output, output, 5));
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
