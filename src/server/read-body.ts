import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";
import { rpcError } from "../contract/errors.js";

/**
 * Reads a request body as UTF-8 up to `maxBytes`. A larger body (declared or streamed) is refused
 * with BODY_TOO_LARGE before it is buffered, and the rest of it is read and dropped so the client's
 * upload completes and it sees the answer; invalid UTF-8 is refused as MALFORMED_JSON. A body cut off
 * by a reset stream or a dropped connection is refused as CANCELLED: what arrived is not the request.
 */
export function readBody(req: IncomingMessage | Http2ServerRequest, maxBytes: number): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > maxBytes) {
    req.resume();
    return Promise.reject(
      rpcError("BODY_TOO_LARGE", `request body of ${declared} bytes exceeds the limit of ${maxBytes} bytes`),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      outcome();
    };
    const clientGone = (): void =>
      settle(() => reject(rpcError("CANCELLED", "the client went away before the request was complete")));
    req.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) {
        settle(() => reject(rpcError("BODY_TOO_LARGE", `request body exceeds the limit of ${maxBytes} bytes`)));
      } else {
        chunks.push(chunk);
      }
    });
    req.once("error", clientGone);
    req.once("aborted", clientGone);
    req.once("end", () => {
      // A reset HTTP/2 stream ends the body like a complete one.
      if (("aborted" in req && req.aborted) || ("complete" in req && !req.complete)) return clientGone();
      settle(() => {
        try {
          resolve(new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks)));
        } catch {
          reject(rpcError("MALFORMED_JSON", "request body is not valid UTF-8"));
        }
      });
    });
  });
}
