import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";
import type { Registry } from "prom-client";
import { rpcError } from "../contract/errors.js";
import type { ExtraRoute } from "./create-server.js";
import { createAuthenticator } from "./credentials.js";
import { writeReply } from "./reply-writer.js";
import { toRestError } from "./rest-error.js";

/** Who may read `/metrics`. */
export type MetricsAccess =
  /** HTTP Basic with one of these `user:password` pairs (never an aggregator credential). */
  | { credentials: readonly string[] }
  /** Anyone who reaches the port: only behind a private network or a scraping sidecar. */
  | { public: true };

/** Serves `GET /metrics` in the Prometheus text format, behind its own credential unless public. */
export function createMetricsRoute(registry: Registry, access: MetricsAccess): ExtraRoute {
  const authenticate = "credentials" in access ? createAuthenticator(access.credentials) : undefined;
  return async (req, res) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    if (pathname !== "/metrics") return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      const error = rpcError("HTTP_METHOD_NOT_ALLOWED", "/metrics accepts GET");
      error.metadata.set("allow", "GET, HEAD");
      writeReply(res, toRestError(error));
      return true;
    }
    const auth = authenticate?.(header(req, "authorization"));
    if (auth && !auth.ok) {
      writeReply(res, toRestError(rpcError(auth.reason, "/metrics needs the metrics credential")));
      return true;
    }
    const body = await registry.metrics();
    writeReply(res, { status: 200, headers: { "content-type": registry.contentType }, body }, req.method === "HEAD");
    return true;
  };
}

function header(req: IncomingMessage | Http2ServerRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
