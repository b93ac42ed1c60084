import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { base64Decode } from "@bufbuild/protobuf/wire";
import { type ConnectError, type ContextValues, createContextValues } from "@connectrpc/connect";
import { compressionBrotli, compressionGzip } from "@connectrpc/connect-node";
import { authResultKey } from "./call-credentials.js";
import { type UniversalHandler, type UniversalServerRequest, wrapUniversalHandler } from "./connect-internals.js";
import type { Authenticator } from "./credentials.js";
import { encodeFrame } from "./grpc-frame.js";
import {
  bodyCutOff,
  bodyErrorKey,
  bodyLimit,
  bodyTooLarge,
  type DecodedBody,
  decodeBinaryBody,
  decodedMessageKey,
  decodeJsonBody,
  unframe,
} from "./request-body.js";

type Framing = { framed: boolean; binary: boolean };

const framingByType = new Map<string, Framing>([
  ["application/grpc", { framed: true, binary: true }],
  ["application/grpc+proto", { framed: true, binary: true }],
  ["application/grpc+json", { framed: true, binary: false }],
  ["application/grpc-web", { framed: true, binary: true }],
  ["application/grpc-web+proto", { framed: true, binary: true }],
  ["application/grpc-web+json", { framed: true, binary: false }],
  ["application/proto", { framed: false, binary: true }],
  ["application/json", { framed: false, binary: false }],
]);
const compressions = new Map([compressionGzip, compressionBrotli].map((c) => [c.name, c]));

/**
 * Wraps one of connect-node's handlers: the connect-node adapter of the request core. The body is
 * read within the limit and decoded here, once. A unary call's message goes to the handler through
 * `decodedMessageKey` and the library is given an empty body to parse; a body that cannot be decoded
 * (garbage protobuf, wrong JSON types, invalid UTF-8, a broken gRPC frame) is put in `bodyErrorKey`,
 * so the call still goes through auth and observation and is refused as MALFORMED_PROTOBUF /
 * MALFORMED_JSON / INVALID_ARGUMENT naming the field, not as the library's INTERNAL.
 *
 * Credentials are checked from the headers first: a call that will be refused (no valid credentials,
 * or a head already found malformed) never has its body read or decoded. A body cut off by a reset or
 * a dropped connection never reaches the handler. Without an authenticator (a service open to anyone,
 * such as health), only the body is checked.
 */
export function guardRequestBody(
  handler: UniversalHandler,
  maxBytes: number,
  authenticate?: Authenticator,
): UniversalHandler {
  const input = handler.method.input;
  // Streams read their messages themselves; only a unary call's one message is handed over decoded.
  const handOver = handler.method.methodKind === "unary";
  return wrapUniversalHandler(handler, async (req) => {
    const contextValues = req.contextValues ?? createContextValues();
    const auth = authenticate?.(req.header.get("authorization"));
    if (auth) contextValues.set(authResultKey, auth);
    const withValues = { ...req, contextValues };
    if (auth?.ok === false || contextValues.get(bodyErrorKey)) return handler(withoutBody(withValues));
    return handler(await checkBody(withValues, input, maxBytes, handOver));
  });
}

async function checkBody(req: UniversalServerRequest, input: DescMessage, maxBytes: number, handOver: boolean) {
  if (req.method === "GET") return checkQueryMessage(req, input, handOver);
  const framing = framingOf(req);
  const body = req.body;
  if (!framing || body === null || typeof body !== "object" || !(Symbol.asyncIterator in body)) return req;
  const limit = bodyLimit(maxBytes, framing.framed);
  if (Number(req.header.get("content-length") ?? "0") > limit) {
    return withBodyError(req, framing, bodyTooLarge(maxBytes));
  }
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
      return withBodyError(req, framing, bodyTooLarge(maxBytes));
    }
  }
  // A stream reset or a dropped connection ends the body early; what arrived is not the request.
  if (req.signal.aborted) throw bodyCutOff();
  const bytes = concat(chunks, size);
  const encoding = req.header.get(framing.framed ? "grpc-encoding" : "content-encoding") ?? "identity";
  const decoded = await decodeBody(bytes, framing, encoding, input, maxBytes);
  if (decoded === undefined) return { ...req, body: replay([bytes]) };
  if (decoded.problem) return withBodyError(req, framing, decoded.problem);
  if (!handOver) return { ...req, body: replay([bytes]) };
  return handedOver(req, framing, encoding, decoded.message);
}

/** The request with an empty message in place of a body that is never read (the call will be refused). */
function withoutBody(req: UniversalServerRequest): UniversalServerRequest {
  if (req.method === "GET") return req;
  const framing = framingOf(req);
  return framing ? emptied(req, framing) : req;
}

/** The request with an empty message in place of its body, carrying the error to answer with. */
function withBodyError(req: UniversalServerRequest, framing: Framing, problem: ConnectError): UniversalServerRequest {
  (req.contextValues as ContextValues).set(bodyErrorKey, problem);
  return emptied(req, framing);
}

function emptied(req: UniversalServerRequest, framing: Framing): UniversalServerRequest {
  const header = new Headers(req.header);
  header.delete("grpc-encoding");
  header.delete("content-encoding");
  return withEmptyBody({ ...req, header }, framing, undefined);
}

/**
 * The request carrying its decoded message for the handler, and an empty message for the library to
 * parse. A compressed request keeps its encoding header (the library answers in the encoding the
 * client used when it names none it accepts), so its empty message is compressed the same way.
 */
async function handedOver(
  req: UniversalServerRequest,
  framing: Framing,
  encoding: string,
  message: MessageShape<DescMessage>,
): Promise<UniversalServerRequest> {
  (req.contextValues as ContextValues).set(decodedMessageKey, message);
  const compression = encoding === "identity" ? undefined : compressions.get(encoding);
  return withEmptyBody(
    { ...req, header: new Headers(req.header) },
    framing,
    compression && (await emptyIn(compression.name, framing)),
  );
}

function withEmptyBody(req: UniversalServerRequest, framing: Framing, compressed: Uint8Array | undefined) {
  const empty = compressed ?? emptyMessage(framing);
  req.header.set("content-length", String(empty.byteLength));
  return { ...req, body: replay([empty]) };
}

const emptyJson = new TextEncoder().encode("{}");

/** An empty message as the request's content type carries it: `{}` or no bytes, in a frame when framed. */
function emptyPayload(framing: Framing): Uint8Array {
  return framing.binary ? new Uint8Array(0) : emptyJson;
}

function emptyMessage(framing: Framing): Uint8Array {
  return framing.framed ? encodeFrame(emptyPayload(framing)) : emptyPayload(framing);
}

const compressedEmpty = new Map<string, Promise<Uint8Array>>();

/** An empty message compressed with `name`, framed as the request's was (computed once per kind). */
function emptyIn(name: string, framing: Framing): Promise<Uint8Array> {
  const key = `${name}:${framing.framed}:${framing.binary}`;
  let found = compressedEmpty.get(key);
  if (!found) {
    const compression = compressions.get(name) as NonNullable<ReturnType<typeof compressions.get>>;
    found = compression
      .compress(emptyPayload(framing))
      .then((bytes) => (framing.framed ? encodeFrame(bytes, true) : bytes));
    compressedEmpty.set(key, found);
  }
  return found;
}

function framingOf(req: UniversalServerRequest): Framing | undefined {
  const contentType = (req.header.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  return framingByType.get(contentType);
}

/** The decoded body, or undefined when the library should answer it (an encoding it may not know). */
async function decodeBody(
  bytes: Uint8Array,
  framing: Framing,
  encoding: string,
  input: DescMessage,
  maxBytes: number,
): Promise<DecodedBody<DescMessage> | undefined> {
  let payload = bytes;
  let compressed = !framing.framed && encoding !== "identity";
  if (framing.framed) {
    const frame = unframe(bytes, encoding);
    if (frame.problem) return frame;
    payload = frame.payload;
    compressed = frame.compressed;
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
  return decode(payload, framing.binary, input);
}

function decode(payload: Uint8Array, binary: boolean, input: DescMessage): DecodedBody<DescMessage> {
  return binary ? decodeBinaryBody(input, payload) : decodeJsonBody(input, payload, { emptyIsObject: false });
}

/** Connect GET requests carry the message in the query (`?encoding=json|proto&message=...`). */
function checkQueryMessage(req: UniversalServerRequest, input: DescMessage, handOver: boolean): UniversalServerRequest {
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
  const decoded = decode(payload, binary, input);
  if (!decoded.problem && !handOver) return req;
  const contextValues = req.contextValues as ContextValues;
  if (decoded.problem) contextValues.set(bodyErrorKey, decoded.problem);
  else contextValues.set(decodedMessageKey, decoded.message);
  query.set("message", binary ? "" : "{}");
  query.delete("base64");
  return { ...req, url: url.toString() };
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
