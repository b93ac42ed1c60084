import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import type { ServingState } from "./serving-state.js";

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

/** A route matched on the request path alone, before the REST mapping; false when it does not match. */
export type PathRoute = (req: Request, res: Response, pathname: string) => boolean;

/**
 * `GET /healthz` (liveness: the process answers HTTP) and `GET /readyz` (readiness: the database is
 * usable and the server is not draining), without credentials, for orchestrators and load balancers.
 * The bodies say `ok` or `unavailable` and nothing else.
 */
export function createProbeRoutes(state: ServingState): PathRoute {
  return (req, res, pathname) => {
    if (pathname !== "/healthz" && pathname !== "/readyz") return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendText(res, 405, "method not allowed: use GET or HEAD\n", req.method, { allow: "GET, HEAD" });
      return true;
    }
    if (pathname === "/healthz") {
      sendText(res, 200, "ok\n", req.method);
      return true;
    }
    void state
      .serving()
      .then((serving) => sendText(res, serving ? 200 : 503, serving ? "ok\n" : "unavailable\n", req.method));
    return true;
  };
}

function sendText(
  res: Response,
  status: number,
  body: string,
  method: string | undefined,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  (res as ServerResponse).writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
    "cache-control": "no-store",
    ...headers,
  });
  if (method === "HEAD") res.end();
  else res.end(body);
}
