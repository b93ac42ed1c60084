import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { create, type DescMethodUnary, type DescService, toJson } from "@bufbuild/protobuf";
import {
  type ConnectError,
  createContextValues,
  type HandlerContext,
  type Interceptor,
  type MethodImplSpec,
} from "@connectrpc/connect";
import { invokeUnaryImplementation } from "@connectrpc/connect/protocol";
import { aggregatorKey, callerKey, protocolKey } from "../contract/caller-context.js";
import { reasonOf, rpcError } from "../contract/errors.js";
import { type CallObserver, resolveRequestId } from "./call-log.js";
import type { Authenticator } from "./credentials.js";
import { decodeJsonRequest } from "./decode-json-request.js";
import { codeName } from "./interceptors.js";
import { rateLimitTakenKey } from "./rate-limit-interceptor.js";
import type { RateLimiter } from "./rate-limiter.js";
import { readBody } from "./read-body.js";
import { asConnectError, toRestError } from "./rest-error.js";

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

/** What the REST gateway needs: the service, its handlers, and the policies every call obeys. */
export interface RestGatewayOptions {
  service: DescService;
  specs: ReadonlyMap<string, MethodImplSpec & { kind: "unary" }>;
  interceptors: Interceptor[];
  authenticate: Authenticator;
  observe: CallObserver;
  maxBodyBytes: number;
  /** Checked right after auth, before the body is read, so a flood of large bodies is refused cheaply. */
  rateLimiter?: RateLimiter;
}

/** Serves `GET /v3/HealthCheck` and `POST /v3/<Method>` with Google's proto3 JSON (snake_case, int64 as strings). */
export type RestGateway = (req: Request, res: Response) => Promise<void>;

/** True for paths the gateway answers: `/v3/...`, any case. */
export function isRestPath(pathname: string): boolean {
  return pathname.toLowerCase().startsWith("/v3/") || pathname.toLowerCase() === "/v3";
}

/**
 * Creates the REST mapping of the service. It runs the same handlers and the same interceptors as
 * the Connect router; what it adds is path matching, body limits and JSON error bodies.
 */
export function createRestGateway(options: RestGatewayOptions): RestGateway {
  const byLowerName = new Map<string, DescMethodUnary>();
  for (const method of options.service.methods) {
    if (method.methodKind === "unary") byLowerName.set(method.name.toLowerCase(), method as DescMethodUnary);
  }

  return async (req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? "/", "http://localhost");
    const name = url.pathname.replace(/\/+$/, "").slice("/v3/".length).toLowerCase();
    const method = byLowerName.get(name);
    const requestId = resolveRequestId(header(req, "x-request-id"));
    let caller: string | undefined;
    const fail = (error: ConnectError): void => {
      error.metadata.set("x-request-id", requestId);
      options.observe({
        rpc: method?.name ?? "unknown",
        protocol: "rest",
        requestId,
        outcome: reasonOf(error) ?? codeName(error.code),
        code: codeName(error.code),
        durationMs: performance.now() - started,
        replayed: false,
        caller,
        ...(method ? {} : { path: url.pathname }),
      });
      send(res, toRestError(error));
    };
    try {
      if (!method) {
        return fail(rpcError("METHOD_NOT_FOUND", "no method of the service at this path"));
      }
      const allowed = method.name === "HealthCheck" ? ["GET", "POST"] : ["POST"];
      if (!allowed.includes(req.method ?? "")) {
        const error = rpcError("HTTP_METHOD_NOT_ALLOWED", `${method.name} accepts ${allowed.join(" or ")}`);
        error.metadata.set("allow", allowed.join(", "));
        return fail(error);
      }
      const auth = options.authenticate(header(req, "authorization"));
      if (!auth.ok) {
        return fail(
          rpcError(
            auth.reason,
            auth.reason === "CREDENTIALS_MISSING" ? "missing HTTP Basic credentials" : "invalid credentials",
          ),
        );
      }
      caller = auth.user;
      const refused = await options.rateLimiter?.take(auth.user, method.name);
      if (refused) return fail(refused);
      const contentType = header(req, "content-type");
      if (contentType && !/^application\/json\s*(;|$)/i.test(contentType) && req.method !== "GET") {
        return fail(rpcError("UNSUPPORTED_MEDIA_TYPE", "unsupported content type; send application/json"));
      }
      const input =
        req.method === "GET"
          ? create(method.input)
          : decodeJsonRequest(method.input, await readBody(req, options.maxBodyBytes), { emptyIsObject: true });
      const spec = options.specs.get(method.name);
      if (!spec) {
        return fail(rpcError("NOT_IMPLEMENTED", `${method.name} is not implemented`));
      }
      // A plain context with one AbortController: connect's createHandlerContext links two controllers
      // per call, a measurable share of a cheap call's cost.
      const controller = new AbortController();
      const context: HandlerContext = {
        service: options.service,
        method,
        signal: controller.signal,
        timeoutMs: () => undefined,
        requestMethod: req.method ?? "POST",
        requestHeader: toHeaders(req),
        responseHeader: new Headers(),
        responseTrailer: new Headers(),
        protocolName: "rest",
        values: createContextValues()
          .set(protocolKey, "rest")
          .set(callerKey, auth.user)
          .set(aggregatorKey, auth.aggregator)
          .set(rateLimitTakenKey, true),
        url: url.toString(),
      };
      // The response closing before it was written means the client went away: stop the handler.
      res.once("close", () => {
        if (!res.writableEnded) controller.abort(rpcError("CANCELLED", "the client closed the connection"));
      });
      const output = await invokeUnaryImplementation(spec, context, input, options.interceptors);
      const body = JSON.stringify(toJson(method.output, output, { useProtoFieldName: true }));
      const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
      context.responseHeader.forEach((value, key) => {
        headers[key] = value;
      });
      send(res, { status: 200, headers, body });
    } catch (thrown) {
      const error = asConnectError(thrown);
      // Errors from inside the interceptor chain were already observed there.
      if (error.metadata.has("x-request-id")) {
        send(res, toRestError(error));
      } else {
        fail(error);
      }
    }
  };
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function toHeaders(req: Request): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (key.startsWith(":") || value === undefined) continue;
    headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

function send(res: Response, reply: { status: number; headers: Record<string, string>; body: string }): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const payload = Buffer.from(reply.body, "utf8");
  (res as ServerResponse).writeHead(reply.status, { ...reply.headers, "content-length": String(payload.length) });
  res.end(payload);
}
