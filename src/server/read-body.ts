import type { IncomingMessage } from "node:http";
import type { Http2ServerRequest } from "node:http2";
import { rpcError } from "../rpc/errors.js";

/**
 * Reads a request body as UTF-8 up to `maxBytes`. A larger body (declared or streamed) is refused
 * with BODY_TOO_LARGE before it is buffered; invalid UTF-8 is refused as MALFORMED_JSON.
 */
export async function readBody(req: IncomingMessage | Http2ServerRequest, maxBytes: number): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > maxBytes) {
    req.resume();
    throw rpcError("BODY_TOO_LARGE", `request body of ${declared} bytes exceeds the limit of ${maxBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  const clientGone = () => rpcError("CANCELLED", "the client went away before the request was complete");
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        throw rpcError("BODY_TOO_LARGE", `request body exceeds the limit of ${maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    // A dropped connection or a reset stream fails the read: the client's doing, not a server error.
    if (req.destroyed || ("aborted" in req && req.aborted)) throw clientGone();
    throw error;
  }
  // A reset HTTP/2 stream ends the body like a complete one; what arrived is not the request.
  if (("aborted" in req && req.aborted) || ("complete" in req && !req.complete)) throw clientGone();
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw rpcError("MALFORMED_JSON", "request body is not valid UTF-8");
  }
}
