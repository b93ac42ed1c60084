import { type DescMessage, fromBinary } from "@bufbuild/protobuf";
import { base64Decode } from "@bufbuild/protobuf/wire";
import { Code, ConnectError, createContextKey, createContextValues } from "@connectrpc/connect";
import type { UniversalHandler, UniversalServerRequest } from "@connectrpc/connect/protocol";
import { compressionBrotli, compressionGzip } from "@connectrpc/connect-node";
import { rpcError } from "../contract/errors.js";
import type { Authenticator, AuthResult } from "./credentials.js";
import { decodeJsonRequest } from "./decode-json-request.js";

/** A request (head or body) that cannot be served; the validation interceptor answers with it. */
export const bodyErrorKey = createContextKey<ConnectError | undefined>(undefined);

/** The credential check made from the request headers before the body was read; auth reuses it. */
export const headerAuthKey = createContextKey<AuthResult | undefined>(undefined);

type Framing = { framed: boolean; binary: boolean };

const framingByType: Record<string, Framing> = {
  "application/grpc": { framed: true, binary: true },
  "application/grpc+proto": { framed: true, binary: true },
  "application/grpc+json": { framed: true, binary: false },
  "application/grpc-web": { framed: true, binary: true },
  "application/grpc-web+proto": { framed: true, binary: true },
  "application/grpc-web+json": { framed: true, binary: false },
  "application/proto": { framed: false, binary: true },
  "application/json": { framed: false, binary: false },
};
const compressions = new Map([compressionGzip, compressionBrotli].map((c) => [c.name, c]));

/**
 * Wraps one of connect-node's handlers so that a body it could not decode (garbage protobuf, wrong
 * JSON types, invalid UTF-8, a broken gRPC frame) is not answered by the library as INTERNAL or
 * without details. The body is decoded here first; when that fails, the handler gets an empty message
 * and the error in `bodyErrorKey`, so the call still goes through auth and observation, and is refused
 * with MALFORMED_PROTOBUF / MALFORMED_JSON / INVALID_ARGUMENT naming the field.
 *
 * Credentials are checked from the headers first: a call that will be refused (no valid credentials,
 * or a head already found malformed) never has its body read or decoded, so refusing it costs what
 * the headers cost. A body cut off by a reset or a dropped connection never reaches the handler.
 * Without an authenticator (a service open to anyone, such as health), only the body is checked.
 */
export function guardRequestBody(
  handler: UniversalHandler,
  maxBytes: number,
  authenticate?: Authenticator,
): UniversalHandler {
  const input = handler.method.input;
  const guarded = async (req: UniversalServerRequest) => {
    const contextValues = req.contextValues ?? createContextValues();
    const auth = authenticate?.(req.header.get("authorization"));
    if (auth) contextValues.set(headerAuthKey, auth);
    const withValues = { ...req, contextValues };
    if (auth?.ok === false || contextValues.get(bodyErrorKey)) return handler(withoutBody(withValues));
    return handler(await checkBody(withValues, input, maxBytes));
  };
  return Object.assign(guarded, {
    protocolNames: handler.protocolNames,
    service: handler.service,
    method: handler.method,
    requestPath: handler.requestPath,
    allowedMethods: handler.allowedMethods,
    supportedContentType: handler.supportedContentType,
  });
}

async function checkBody(req: UniversalServerRequest, input: DescMessage, maxBytes: number) {
  if (req.method === "GET") return checkQueryMessage(req, input);
  const framing = framingOf(req);
  const body = req.body;
  if (!framing || body === null || typeof body !== "object" || !(Symbol.asyncIterator in body)) return req;
  // A frame header may come on top of a message of maxBytes.
  const limit = maxBytes + (framing.framed ? 5 : 0);
  const tooLarge = () =>
    rpcError("BODY_TOO_LARGE", `request body exceeds the limit of ${maxBytes} bytes`, {
      metadata: { limit_bytes: String(maxBytes) },
    });
  if (Number(req.header.get("content-length") ?? "0") > limit) return withBodyError(req, framing, tooLarge());
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Not for-await: leaving that loop early would destroy the request stream, and the answer with it.
  const iterator = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    chunks.push(next.value);
    size += next.value.byteLength;
    if (size > limit) {
      // The rest is read and dropped, so the client's upload completes and it sees the answer.
      void drain(iterator);
      return withBodyError(req, framing, tooLarge());
    }
  }
  // A stream reset or a dropped connection ends the body early; what arrived is not the request.
  if (req.signal.aborted) throw new ConnectError("the client went away before the request was complete", Code.Canceled);
  const bytes = concat(chunks, size);
  const encoding = req.header.get(framing.framed ? "grpc-encoding" : "content-encoding") ?? "identity";
  const problem = await decodeProblem(bytes, framing, encoding, input, maxBytes);
  return problem ? withBodyError(req, framing, problem) : { ...req, body: replay([bytes]) };
}

/** The request with an empty message in place of a body that is never read (the call will be refused). */
function withoutBody(req: UniversalServerRequest): UniversalServerRequest {
  if (req.method === "GET") return req;
  const framing = framingOf(req);
  return framing ? emptied(req, framing) : req;
}

/** The request with an empty message in place of its body, carrying the error to answer with. */
function withBodyError(req: UniversalServerRequest, framing: Framing, problem: ConnectError): UniversalServerRequest {
  const contextValues = req.contextValues ?? createContextValues();
  contextValues.set(bodyErrorKey, problem);
  return emptied({ ...req, contextValues }, framing);
}

function emptied(req: UniversalServerRequest, framing: Framing): UniversalServerRequest {
  const empty = framing.framed ? new Uint8Array(5) : new TextEncoder().encode(framing.binary ? "" : "{}");
  const header = new Headers(req.header);
  header.delete("grpc-encoding");
  header.delete("content-encoding");
  header.set("content-length", String(empty.byteLength));
  return { ...req, header, body: replay([empty]) };
}

function framingOf(req: UniversalServerRequest): Framing | undefined {
  const contentType = (req.header.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return framingByType[contentType];
}

/** The error a body deserves, or undefined when the library will decode it without trouble. */
async function decodeProblem(
  bytes: Uint8Array,
  framing: Framing,
  encoding: string,
  input: DescMessage,
  maxBytes: number,
): Promise<ConnectError | undefined> {
  let payload = bytes;
  let compressed = !framing.framed && encoding !== "identity";
  if (framing.framed) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const flags = bytes[0] ?? 0;
    if (bytes.byteLength < 5 || view.getUint32(1) !== bytes.byteLength - 5 || (flags & 0xfe) !== 0) {
      return rpcError("MALFORMED_PROTOBUF", "the request body must be exactly one length-prefixed message frame");
    }
    payload = bytes.subarray(5);
    compressed = (flags & 1) === 1;
    if (compressed && encoding === "identity") {
      return rpcError("MALFORMED_PROTOBUF", "the request frame is marked compressed but no grpc-encoding was sent");
    }
  }
  if (compressed) {
    const compression = compressions.get(encoding);
    // An encoding the library does not know, or bytes it cannot inflate, get the library's own answer.
    if (!compression) return undefined;
    try {
      payload = await compression.decompress(payload, maxBytes);
    } catch {
      return undefined;
    }
  }
  return decodeError(payload, framing.binary, input);
}

function decodeError(payload: Uint8Array, binary: boolean, input: DescMessage): ConnectError | undefined {
  if (binary) {
    try {
      fromBinary(input, payload);
      return undefined;
    } catch (e) {
      return rpcError(
        "MALFORMED_PROTOBUF",
        `the request body is not a valid ${input.typeName}: ${(e as Error).message}`,
      );
    }
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(payload);
  } catch {
    return rpcError("MALFORMED_JSON", "request body is not valid UTF-8");
  }
  try {
    decodeJsonRequest(input, text, { emptyIsObject: false });
    return undefined;
  } catch (e) {
    return e as ConnectError;
  }
}

/** Connect GET requests carry the message in the query (`?encoding=json|proto&message=...`). */
function checkQueryMessage(req: UniversalServerRequest, input: DescMessage): UniversalServerRequest {
  const url = new URL(req.url, "http://localhost");
  const query = url.searchParams;
  const binary = query.get("encoding") === "proto";
  if (!query.has("message") || query.has("compression")) return req;
  const message = query.get("message") ?? "";
  let payload: Uint8Array;
  try {
    payload = query.get("base64") === "1" ? base64Decode(message) : new TextEncoder().encode(message);
  } catch {
    payload = new Uint8Array([0xff]);
  }
  const problem = decodeError(payload, binary, input);
  if (!problem) return req;
  query.set("message", binary ? "" : "{}");
  query.delete("base64");
  const contextValues = req.contextValues ?? createContextValues();
  contextValues.set(bodyErrorKey, problem);
  return { ...req, url: url.toString(), contextValues };
}

async function drain(iterator: AsyncIterator<Uint8Array>): Promise<void> {
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      // dropped
    }
  } catch {
    // The client went away; nothing is waiting for these bytes.
  }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

async function* replay(chunks: Uint8Array[]): AsyncIterable<Uint8Array> {
  yield* chunks;
}
