import net from "node:net";
import tls from "node:tls";

/** Where raw HTTP/1.x bytes go: a cleartext port, or TLS (ALPN http/1.1) trusting `ca`. */
export interface Http1Target {
  port: number;
  tls?: { ca: Buffer };
}

/** One parsed HTTP/1.x response. */
export interface Http1Response {
  kind: "response";
  status: number;
  headers: [string, string][];
  body: Buffer;
  /** Trailer fields of a chunked body. */
  trailers: [string, string][];
}

/** What came back for one request: a whole response, a clean close, garbage, or nothing in time. */
export type Http1Outcome =
  | Http1Response
  | { kind: "closed"; received: number }
  | { kind: "malformed"; reason: string; received: string }
  | { kind: "timeout"; received: string }
  | { kind: "aborted" };

/** How one request is sent. */
export interface Http1SendOptions {
  timeoutMs: number;
  /** Half-close after writing (a body that ends early, then EOF). */
  endAfterWrite?: boolean;
  /** The request was HEAD: the response carries no body. */
  head?: boolean;
  /** Destroys the connection and resolves `aborted` (the server process crashed). */
  signal?: AbortSignal;
}

/**
 * Writes `bytes` on a fresh connection and reads exactly one response (skipping 1xx), checking its
 * framing: status line, header lines, then a body delimited by content-length, chunks or EOF.
 */
export function sendHttp1(target: Http1Target, bytes: Buffer, options: Http1SendOptions): Promise<Http1Outcome> {
  return new Promise((resolve) => {
    const socket = target.tls
      ? tls.connect({ port: target.port, host: "127.0.0.1", ca: target.tls.ca, ALPNProtocols: ["http/1.1"] })
      : net.connect({ port: target.port, host: "127.0.0.1" });
    let received = Buffer.alloc(0);
    let done = false;
    const finish = (outcome: Http1Outcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      socket.destroy();
      resolve(outcome);
    };
    const onAbort = (): void => finish({ kind: "aborted" });
    options.signal?.addEventListener("abort", onAbort);
    if (options.signal?.aborted) return onAbort();
    const timer = setTimeout(
      () => finish({ kind: "timeout", received: received.subarray(0, 200).toString("latin1") }),
      options.timeoutMs,
    );
    const check = (eof: boolean): void => {
      const parsed = parseResponse(received, options.head === true, eof);
      const preview = (): string => received.subarray(0, 200).toString("latin1");
      if (parsed === "incomplete") {
        if (!eof) return;
        // Interim (1xx) answers and then a close are a clean close: no final response had begun.
        finish(
          received.length === 0 || onlyInterimResponses(received)
            ? { kind: "closed", received: received.length }
            : { kind: "malformed", reason: "connection closed inside a response", received: preview() },
        );
      } else if (typeof parsed === "string") {
        finish({ kind: "malformed", reason: parsed, received: preview() });
      } else {
        finish(parsed);
      }
    };
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      check(false);
    });
    // A reset (e.g. the server refused the headers while we were still writing) ends like EOF.
    socket.on("error", () => check(true));
    socket.on("close", () => check(true));
    const write = (): void => {
      socket.write(bytes, () => {
        if (options.endAfterWrite) socket.end();
      });
    };
    if (target.tls) socket.once("secureConnect", write);
    else socket.once("connect", write);
  });
}

const statusLine = /^HTTP\/1\.[01] ([1-5]\d\d)(?: [^\r\n]*)?$/;
const headerLine = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([^\r\n]*?)[ \t]*$/;

/** True when `data` holds nothing but complete 1xx responses. */
function onlyInterimResponses(data: Buffer): boolean {
  let offset = 0;
  while (offset < data.length) {
    const end = data.indexOf("\r\n\r\n", offset);
    if (end < 0) return false;
    const status = statusLine.exec(data.subarray(offset, data.indexOf("\r\n", offset)).toString("latin1"));
    if (!status || !(status[1] ?? "").startsWith("1")) return false;
    offset = end + 4;
  }
  return true;
}

/** One response out of `data`, "incomplete" when more bytes are needed, or why it is malformed. */
function parseResponse(data: Buffer, head: boolean, eof: boolean): Http1Response | "incomplete" | string {
  let offset = 0;
  for (;;) {
    const end = data.indexOf("\r\n\r\n", offset);
    if (end < 0) {
      const start = data.subarray(offset, offset + 5).toString("latin1");
      return "HTTP/".startsWith(start) || start.startsWith("HTTP/") ? "incomplete" : `not an HTTP response: ${start}`;
    }
    const lines = data.subarray(offset, end).toString("latin1").split("\r\n");
    const status = statusLine.exec(lines[0] ?? "");
    if (!status) return `bad status line: ${JSON.stringify(lines[0])}`;
    const headers: [string, string][] = [];
    for (const line of lines.slice(1)) {
      const field = headerLine.exec(line);
      if (!field) return `bad header line: ${JSON.stringify(line)}`;
      headers.push([(field[1] as string).toLowerCase(), field[2] as string]);
    }
    const code = Number(status[1]);
    offset = end + 4;
    if (code >= 100 && code < 200) continue;
    const rest = data.subarray(offset);
    const response = (body: Buffer, trailers: [string, string][] = []): Http1Response => ({
      kind: "response",
      status: code,
      headers,
      body,
      trailers,
    });
    if (head || code === 204 || code === 304) return response(Buffer.alloc(0));
    const framing = headers.filter(([name]) => name === "transfer-encoding" || name === "content-length");
    const chunked = framing.some(([name, value]) => name === "transfer-encoding" && /chunked\s*$/i.test(value));
    if (chunked) {
      const body = parseChunked(rest);
      return typeof body === "object" ? response(body.body, body.trailers) : body;
    }
    const lengths = new Set(framing.filter(([name]) => name === "content-length").map(([, value]) => value));
    if (lengths.size > 1) return `conflicting content-length: ${[...lengths].join(", ")}`;
    const [length] = lengths;
    if (length === undefined) return eof ? response(rest) : "incomplete"; // delimited by EOF
    if (!/^\d+$/.test(length)) return `bad content-length: ${length}`;
    const size = Number(length);
    if (rest.length < size) return "incomplete";
    return response(rest.subarray(0, size));
  }
}

function parseChunked(data: Buffer): { body: Buffer; trailers: [string, string][] } | "incomplete" | string {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf("\r\n", offset);
    if (lineEnd < 0) return "incomplete";
    const sizeText = data.subarray(offset, lineEnd).toString("latin1").split(";")[0]?.trim() ?? "";
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) return `bad chunk size: ${JSON.stringify(sizeText)}`;
    const size = Number.parseInt(sizeText, 16);
    offset = lineEnd + 2;
    if (size === 0) {
      const end = data.indexOf("\r\n", offset) === offset ? offset : data.indexOf("\r\n\r\n", offset);
      if (end < 0) return "incomplete";
      const trailerText = end === offset ? "" : data.subarray(offset, end).toString("latin1");
      const trailers: [string, string][] = [];
      for (const line of trailerText.split("\r\n").filter((l) => l !== "")) {
        const field = headerLine.exec(line);
        if (!field) return `bad trailer line: ${JSON.stringify(line)}`;
        trailers.push([(field[1] as string).toLowerCase(), field[2] as string]);
      }
      return { body: Buffer.concat(parts), trailers };
    }
    if (data.length < offset + size + 2) return "incomplete";
    parts.push(data.subarray(offset, offset + size));
    if (data.subarray(offset + size, offset + size + 2).toString("latin1") !== "\r\n")
      return "chunk not followed by CRLF";
    offset += size + 2;
  }
}
