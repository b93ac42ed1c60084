import { readFileSync } from "node:fs";
import type { ServerResponse } from "node:http";
import { rpcError } from "../contract/errors.js";
import type { Logger } from "../logger.js";
import { credentialsRefusal } from "./call-credentials.js";
import type { Authenticator } from "./credentials.js";
import type { PathRoute } from "./probe-routes.js";
import { toRestError } from "./rest-error.js";

/** The OpenAPI document `npm run generate` writes from the protos (committed, checked fresh by CI). */
export const openApiDocumentUrl = new URL("../../openapi/booking-server-v3.openapi.json", import.meta.url);

/**
 * Serves `GET /v3/openapi.json`: the OpenAPI 3.1 description of the REST mapping, to callers with an
 * aggregator credential (like reflection, it describes the contract to those who call it). The file
 * is read once, on the first request.
 */
export function createOpenApiRoute(authenticate: Authenticator, logger: Logger): PathRoute {
  let document: Buffer | undefined;
  return (req, res, pathname) => {
    if (pathname.toLowerCase() !== "/v3/openapi.json") return false;
    const send = (status: number, headers: Record<string, string>, body: Buffer | string): void => {
      (res as ServerResponse).writeHead(status, { ...headers, "content-length": String(Buffer.byteLength(body)) });
      if (req.method === "HEAD") res.end();
      else res.end(body);
    };
    const fail = (error: ReturnType<typeof rpcError>): void => {
      const reply = toRestError(error);
      send(reply.status, reply.headers, reply.body);
    };
    if (req.method !== "GET" && req.method !== "HEAD") {
      const error = rpcError("HTTP_METHOD_NOT_ALLOWED", "/v3/openapi.json accepts GET");
      error.metadata.set("allow", "GET, HEAD");
      fail(error);
      return true;
    }
    const header = req.headers.authorization;
    const auth = authenticate(Array.isArray(header) ? header[0] : header);
    if (!auth.ok) {
      fail(credentialsRefusal(auth.reason));
      return true;
    }
    try {
      document ??= readFileSync(openApiDocumentUrl);
    } catch (error) {
      logger.error({ err: error }, "the OpenAPI document is missing; run npm run generate");
      fail(rpcError("INTERNAL", "internal error"));
      return true;
    }
    send(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-cache" }, document);
    return true;
  };
}
