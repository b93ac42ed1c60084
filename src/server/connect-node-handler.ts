import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import {
  Code,
  ConnectError,
  type ConnectRouter,
  createConnectRouter,
  createContextValues,
  type Interceptor,
} from "@connectrpc/connect";
import { compressionBrotli, compressionGzip } from "@connectrpc/connect-node";
import { rpcError } from "../contract/errors.js";
import type { Logger } from "../logger.js";
import {
  type UniversalHandler,
  universalRequestFromNodeRequest,
  universalResponseToNodeResponse,
} from "./connect-internals.js";
import { clientDeadlineKey } from "./deadline-interceptor.js";
import { toGrpcErrorReply } from "./grpc-error-reply.js";
import type { TransportEvent } from "./one-port-server.js";
import { protocolOf } from "./protocol-of.js";
import { bodyErrorKey } from "./request-body.js";
import { checkRequestHead, readClientTimeout, rewriteClientTimeout } from "./request-head.js";

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

/** What the Connect entry path serves and how it reports what goes wrong outside a call. */
export interface ConnectNodeHandlerOptions {
  routes: (router: ConnectRouter) => void;
  interceptors: Interceptor[];
  readMaxBytes: number;
  /** Serves every path that is not a route of the router. */
  fallback: (req: Request, res: Response) => void;
  logger: Logger;
  /** Counts a request that failed outside the interceptor chain (a broken connection, a library error). */
  onTransportEvent?: (kind: TransportEvent) => void;
}

/**
 * A Node request listener for a Connect router, in place of connect-node's adapter. What it adds:
 * the request head is checked and normalised before the library parses it (a malformed Host used to
 * throw inside the library and end the process), a client that goes away is not reported as a server
 * error, and no failure of one request escapes as an exception or an unhandled rejection.
 */
export function createConnectNodeHandler(options: ConnectNodeHandlerOptions): (req: Request, res: Response) => void {
  const router = createConnectRouter({
    interceptors: options.interceptors,
    readMaxBytes: options.readMaxBytes,
    acceptCompression: [compressionGzip, compressionBrotli],
  });
  options.routes(router);
  const paths = new Map<string, UniversalHandler>(router.handlers.map((h) => [h.requestPath, h]));

  return (req, res) => {
    const handler = paths.get((req.url ?? "").split("?", 1)[0] ?? "");
    if (!handler) {
      options.fallback(req, res);
      return;
    }
    if (grpcWithoutTrailers(req)) {
      // gRPC's status travels in trailers, which HTTP/1.0 cannot carry: answer trailers-only, in headers.
      const refusal = toGrpcErrorReply(
        rpcError("MALFORMED_REQUEST", "gRPC needs HTTP/2 (or HTTP/1.1 for its trailers)"),
        "application/grpc",
      );
      (res as ServerResponse).writeHead(refusal.status, refusal.headers);
      res.end();
      return;
    }
    const values = createContextValues();
    const headProblem = checkRequestHead(req);
    if (headProblem) replaceAuthority(req);
    const timeout = readClientTimeout(req.headers);
    rewriteClientTimeout(req.headers, timeout);
    // The client's deadline runs from the request head, not from the end of the body.
    if (timeout.timeoutMs !== undefined) values.set(clientDeadlineKey, Date.now() + timeout.timeoutMs);
    const problem = headProblem ?? timeout.problem;
    // Answered by the validation interceptor, after observation and authentication, in the caller's protocol.
    if (problem) values.set(bodyErrorKey, problem);
    const failed = (reason: unknown): void => {
      const gone = clientGone(req, res, reason);
      options.onTransportEvent?.(gone ? "client_gone" : "internal");
      if (!gone) {
        options.logger.error({ err: reason, rpc: handler.method.name, path: handler.requestPath }, "call failed");
      }
      endAfterFailure(res);
    };
    try {
      const uReq = universalRequestFromNodeRequest(req, res as ServerResponse, undefined, values);
      handler(uReq)
        .then((uRes) => universalResponseToNodeResponse(uRes, res as ServerResponse))
        .catch(failed);
    } catch (error) {
      failed(error);
    }
  };
}

/** True for a gRPC (not gRPC-Web) request on an HTTP version without trailers. */
function grpcWithoutTrailers(req: Request): boolean {
  if (protocolOf(req.headers["content-type"]) !== "grpc") return false;
  // An HTTP/1 parser may read any version from the request line ("HTTP/2.0" too); only a real
  // HTTP/2 stream or HTTP/1.1's chunked encoding carries trailers.
  return !("stream" in req) && req.httpVersion !== "1.1";
}

/** Puts a harmless authority in place of a malformed one, so the library can build the request URL. */
function replaceAuthority(req: Request): void {
  if ("authority" in req) req.headers[":authority"] = "localhost";
  req.headers.host = "localhost";
}

/** True when the failure is the client's connection or stream going away, not a server fault. */
function clientGone(req: Request, res: Response, reason: unknown): boolean {
  if (res.destroyed || req.destroyed || ("aborted" in req && req.aborted)) return true;
  if ("stream" in req && (req.stream.aborted || req.stream.destroyed)) return true;
  const code = reason instanceof ConnectError ? reason.code : undefined;
  return code === Code.Canceled || code === Code.Aborted;
}

/** Ends a response that a failure left open: a generic 500 when nothing was sent, else a cut connection. */
function endAfterFailure(res: Response): void {
  if (res.destroyed || res.writableEnded) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ code: "internal", message: "internal error" });
  (res as ServerResponse).writeHead(500, { "content-type": "application/json", "content-length": body.length });
  res.end(body);
}
