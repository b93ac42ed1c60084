import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { cors as connectCors } from "@connectrpc/connect";

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;
type Handler = (req: Request, res: Response) => void;

/** Which browser origins may call the server from their pages. */
export interface CorsOptions {
  /** Exact origins (`https://app.example.com`), or `*` for any. None: CORS stays off. */
  origins: readonly string[];
}

// What Connect, gRPC-Web and the REST mapping need beyond connect's own lists: Basic credentials and
// request ids going in; request ids, replays, retry delays and auth challenges coming back.
const allowedHeaders = [...connectCors.allowedHeaders, "Authorization", "X-Request-Id"].join(", ");
const exposedHeaders = [
  ...connectCors.exposedHeaders,
  "X-Request-Id",
  "Idempotent-Replayed",
  "Retry-After",
  "WWW-Authenticate",
].join(", ");
const allowedMethods = [...connectCors.allowedMethods, "OPTIONS"].join(", ");

/** Checks a `--cors-origin` value; throws an Error naming it when it is not an origin or `*`. */
export function parseCorsOrigin(value: string): string {
  const trimmed = value.trim();
  if (trimmed === "*") return trimmed;
  let origin: string | undefined;
  try {
    origin = new URL(trimmed).origin;
  } catch {
    origin = undefined;
  }
  if (!origin || origin === "null" || origin !== trimmed.replace(/\/$/, "")) {
    throw new Error(`--cors-origin: ${trimmed} is not an origin; give scheme://host[:port] (no path) or *`);
  }
  return origin;
}

/**
 * Answers CORS for the configured origins, in front of every route: a preflight (`OPTIONS` with
 * `Access-Control-Request-Method`) from an allowed origin gets 204 with the methods and headers
 * Connect, gRPC-Web and the REST mapping use; from another origin 403. An actual request from an
 * allowed origin gets `Access-Control-Allow-Origin` and the exposed headers; from another origin it
 * is served without them, so the browser keeps the answer from the page. Without origins, nothing changes.
 */
export function withCors(handler: Handler, options: CorsOptions): Handler {
  if (options.origins.length === 0) return handler;
  const any = options.origins.includes("*");
  const allowed = new Set(options.origins);
  return (req, res) => {
    const origin = req.headers.origin;
    if (typeof origin !== "string") return handler(req, res);
    const permitted = any || allowed.has(origin);
    const preflight = req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined;
    if (preflight) {
      const headers: Record<string, string> = {
        vary: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
        "content-length": "0",
      };
      if (permitted) {
        headers["access-control-allow-origin"] = origin;
        headers["access-control-allow-methods"] = allowedMethods;
        headers["access-control-allow-headers"] = allowedHeaders;
        headers["access-control-max-age"] = "7200";
      }
      (res as ServerResponse).writeHead(permitted ? 204 : 403, headers);
      res.end();
      return;
    }
    res.setHeader("vary", "Origin");
    if (permitted) {
      res.setHeader("access-control-allow-origin", origin);
      res.setHeader("access-control-expose-headers", exposedHeaders);
    }
    handler(req, res);
  };
}
