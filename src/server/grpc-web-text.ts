import { type UniversalHandler, type UniversalServerRequest, wrapUniversalHandler } from "./connect-internals.js";

const textType = /^application\/grpc-web-text(\+proto)?\s*(;|$)/i;
const base64Alphabet = /^[A-Za-z0-9+/=]*$/;

/**
 * Serves `application/grpc-web-text` (the default mode of Google's grpc-web JS client) through a
 * gRPC-Web handler: the base64 request body is decoded and handed on as `application/grpc-web+proto`,
 * and the answer is sent back base64-encoded as `application/grpc-web-text+proto`. Each response
 * chunk (a message frame, or the trailer frame) is encoded on its own, padding included, so a
 * streamed message reaches the client at once. Other content types pass through untouched.
 */
export function acceptGrpcWebText(handler: UniversalHandler): UniversalHandler {
  return wrapUniversalHandler(handler, async (req: UniversalServerRequest) => {
    const contentType = req.header.get("content-type") ?? "";
    if (!textType.test(contentType)) return handler(req);
    const header = new Headers(req.header);
    header.set("content-type", "application/grpc-web+proto");
    header.delete("content-length");
    const body = req.body as AsyncIterable<Uint8Array>;
    const res = await handler({ ...req, header, body: decodeBase64(body) });
    const responseType = res.header?.get("content-type") ?? "";
    if (!responseType.startsWith("application/grpc-web")) return res;
    const responseHeader = new Headers(res.header);
    responseHeader.set("content-type", "application/grpc-web-text+proto");
    responseHeader.delete("content-length");
    return { ...res, header: responseHeader, ...(res.body ? { body: encodeBase64(res.body) } : {}) };
  });
}

/**
 * Decodes a base64 stream that may arrive in any split and may hold several independently padded
 * parts (as clients that encode each message on its own send it). Text that is not base64 becomes a
 * byte no gRPC frame starts with, so the call is refused as a malformed body, not guessed at.
 */
async function* decodeBase64(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  let pending = "";
  for await (const chunk of chunks) {
    pending += Buffer.from(chunk).toString("latin1").replace(/\s+/g, "");
    if (!base64Alphabet.test(pending)) {
      yield Uint8Array.of(0xff);
      return;
    }
    const complete = pending.length - (pending.length % 4);
    if (complete === 0) continue;
    yield decodeParts(pending.slice(0, complete));
    pending = pending.slice(complete);
  }
  if (pending.length > 0) yield pending.length === 1 ? Uint8Array.of(0xff) : decodeParts(pending);
}

/** Decodes whole groups of four characters, each padded part on its own (Node stops at the first `=`). */
function decodeParts(text: string): Uint8Array {
  const parts = text.match(/[^=]*={0,2}/g) ?? [];
  return Buffer.concat(parts.filter((part) => part !== "").map((part) => Buffer.from(part, "base64")));
}

async function* encodeBase64(chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  for await (const chunk of chunks) {
    const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString("base64");
    yield Buffer.from(text, "latin1");
  }
}
