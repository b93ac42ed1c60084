import type { ServerResponse } from "node:http";
import type { Http2ServerResponse } from "node:http2";

/** A whole answer to an HTTP request outside connect-node: status, headers and a text or byte body. */
export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/**
 * Sends a whole answer. Headers are set rather than written first, so an answer without a body leaves
 * in one HTTP/2 HEADERS frame with END_STREAM: the trailers-only form gRPC clients require. A body
 * gets its `content-length`; a HEAD request gets the headers only.
 */
export function writeReply(res: ServerResponse | Http2ServerResponse, reply: HttpReply, head = false): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.statusCode = reply.status;
  for (const name in reply.headers) res.setHeader(name, reply.headers[name] as string);
  const size = typeof reply.body === "string" ? Buffer.byteLength(reply.body) : reply.body.byteLength;
  if (size === 0) {
    res.end();
    return;
  }
  res.setHeader("content-length", String(size));
  if (head) res.end();
  else res.end(reply.body);
}
