import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { create, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { type ConnectError, createContextValues } from "@connectrpc/connect";
import { protocolKey } from "../contract/caller-context.js";
import { rpcError } from "../contract/errors.js";
import { createCallContext } from "./call-context.js";
import { authResultKey } from "./call-credentials.js";
import { resolveRequestId } from "./call-log.js";
import { declaredLength, readBodyUpTo } from "./node-body-reader.js";
import { createProtoJsonWriter } from "./proto-json-writer.js";
import { rateLimitTakenKey } from "./rate-limit-interceptor.js";
import type { RateLimiter } from "./rate-limiter.js";
import { writeReply } from "./reply-writer.js";
import { bodyCutOff, bodyErrorKey, decodeJsonBody, restBodyTooLarge } from "./request-body.js";
import type { RequestCore } from "./request-core.js";
import { asConnectError, toRestError } from "./rest-error.js";

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

/** Serves `GET /v3/HealthCheck` and `POST /v3/<Method>` with Google's proto3 JSON (snake_case, int64 as strings). */
export type RestGateway = (req: Request, res: Response) => Promise<void>;

/** True for paths the gateway answers: `/v3/...`, any case. */
export function isRestPath(pathname: string): boolean {
  return pathname.toLowerCase().startsWith("/v3/") || pathname.toLowerCase() === "/v3";
}

/**
 * The REST mapping over the request core: the path names the method (any case, trailing slash
 * allowed), the verb and media type are checked, the credential and rate limit before the body is
 * read, and the answer is proto3 JSON or Google's JSON error body.
 */
export function createRestGateway(core: RequestCore, rateLimiter?: RateLimiter): RestGateway {
  const writeJson = createProtoJsonWriter({ useProtoFieldName: true });
  return async (req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? "/", "http://localhost");
    const spec = core.byName(url.pathname.replace(/\/+$/, "").slice("/v3/".length));
    const requestId = resolveRequestId(first(req.headers["x-request-id"]));
    let caller: string | undefined;
    const refuse = (error: ConnectError): void => {
      const call = { rpc: spec?.method.name ?? "unknown", protocol: "rest", requestId, caller };
      writeReply(res, toRestError(core.refused(error, spec ? call : { ...call, path: url.pathname }, started)));
    };
    try {
      if (!spec) return refuse(rpcError("METHOD_NOT_FOUND", "no method of the service at this path"));
      const method = spec.method;
      const allowed = method.name === "HealthCheck" ? ["GET", "POST"] : ["POST"];
      if (!allowed.includes(req.method ?? "")) {
        const error = rpcError("HTTP_METHOD_NOT_ALLOWED", `${method.name} accepts ${allowed.join(" or ")}`);
        error.metadata.set("allow", allowed.join(", "));
        return refuse(error);
      }
      const auth = core.authenticate?.(first(req.headers.authorization));
      const values = createContextValues().set(protocolKey, "rest").set(authResultKey, auth);
      let message: MessageShape<DescMessage> = create(method.input);
      // A refused credential is answered by the auth interceptor, without reading the body.
      if (auth?.ok !== false) {
        if (auth) caller = auth.user;
        if (auth && rateLimiter) {
          const limited = await rateLimiter.take(auth.user, method.name);
          if (limited) return refuse(limited);
          values.set(rateLimitTakenKey, true);
        }
        const contentType = first(req.headers["content-type"]);
        if (contentType && !/^application\/json\s*(;|$)/i.test(contentType) && req.method !== "GET") {
          return refuse(rpcError("UNSUPPORTED_MEDIA_TYPE", "unsupported content type; send application/json"));
        }
        if (req.method !== "GET") {
          const body = await readJsonBody(req, method.input, core.maxBodyBytes);
          if (body.problem) values.set(bodyErrorKey, body.problem);
          else message = body.message;
        }
      }
      const call = createCallContext({
        method,
        protocolName: "rest",
        requestMethod: req.method ?? "POST",
        url: url.toString(),
        headers: req.headers,
        values,
      });
      // The response closing before it was written means the client went away: stop the handler.
      res.once("close", () => {
        if (!res.writableEnded) call.controller.abort(rpcError("CANCELLED", "the client closed the connection"));
      });
      const output = await core.invoke(spec, call.context, message);
      const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8" };
      call.context.responseHeader.forEach((value, key) => {
        headers[key] = value;
      });
      const body = writeJson(method.output, output);
      writeReply(res, { status: 200, headers, body });
    } catch (thrown) {
      const error = asConnectError(thrown);
      // Errors from inside the interceptor chain were already observed there.
      if (error.metadata.has("x-request-id")) writeReply(res, toRestError(error));
      else refuse(error);
    }
  };
}

/** Reads and decodes a JSON body within the limit; a body cut off is thrown (no one is waiting). */
async function readJsonBody<M extends DescMessage>(req: Request, schema: M, maxBytes: number) {
  const declared = declaredLength(req.headers);
  if (declared > maxBytes) {
    req.resume();
    return { problem: restBodyTooLarge(maxBytes, declared) };
  }
  const read = await readBodyUpTo(req, maxBytes);
  if (read.cutOff) throw bodyCutOff();
  if (read.tooLarge) return { problem: restBodyTooLarge(maxBytes) };
  return decodeJsonBody(schema, read.bytes, { emptyIsObject: true });
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
