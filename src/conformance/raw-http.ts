import type { BookingClientOptions, Exchange } from "./booking-client.js";
import { basicAuthorization } from "./booking-client.js";

/** One HTTP request to the server's REST surface, body given as raw text or as a JSON value. */
export interface RawRequest {
  readonly method: "GET" | "POST";
  /** Path below the target, e.g. `/v3/CreateBooking`. */
  readonly path: string;
  readonly body?: string;
  readonly json?: unknown;
  /** Overrides the run's credentials; `null` sends no Authorization header. */
  readonly credentials?: string | null;
}

/** The answer to a {@link RawRequest}; `status` is 0 when no answer came. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
  /** Why no answer came, when `status` is 0. */
  readonly networkError?: string;
  readonly exchange: Exchange;
}

/** Plain HTTP access to `${target}/v3/...`, for checks that pin what a REST partner sees. */
export interface RawHttp {
  send(request: RawRequest): Promise<RawResponse>;
}

/** Creates a {@link RawHttp} on `fetch`; network failures come back as status 0, never thrown. */
export function createRawHttp(options: BookingClientOptions): RawHttp {
  const base = options.target.replace(/\/+$/, "");
  return {
    async send(request) {
      const body = request.json !== undefined ? JSON.stringify(request.json) : request.body;
      const credentials = request.credentials === undefined ? options.credentials : request.credentials;
      const headers: Record<string, string> = { accept: "application/json" };
      if (body !== undefined) headers["content-type"] = "application/json";
      if (credentials) headers.authorization = basicAuthorization(credentials);
      const call = `${request.method} ${request.path}`;
      const sent = request.json ?? body;
      const started = performance.now();
      try {
        const response = await fetch(base + request.path, {
          method: request.method,
          headers,
          body,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        const text = await response.text();
        const json = parseJson(text);
        return {
          status: response.status,
          headers: response.headers,
          text,
          json,
          exchange: {
            call,
            request: sent,
            status: `HTTP ${response.status}`,
            response: json ?? text,
            durationMs: performance.now() - started,
          },
        };
      } catch (error) {
        const networkError = describeNetworkError(error);
        return {
          status: 0,
          headers: new Headers(),
          text: "",
          json: undefined,
          networkError,
          exchange: {
            call,
            request: sent,
            status: `no response (${networkError})`,
            durationMs: performance.now() - started,
          },
        };
      }
    },
  };
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// fetch reports every network problem as "fetch failed" and hides the useful part in `cause`.
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError") return "timed out";
  const cause = error.cause;
  if (cause instanceof Error) return `${error.message}: ${cause.message}`;
  return error.message;
}
