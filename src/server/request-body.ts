import { type DescMessage, fromBinary, type MessageShape } from "@bufbuild/protobuf";
import { type ConnectError, createContextKey, type UnaryRequest } from "@connectrpc/connect";
import { rpcError } from "../contract/errors.js";
import { decodeJsonRequest } from "./decode-json-request.js";

/**
 * Body limits and body errors for every entry path (REST, the gRPC fast path, connect-node): the
 * limit, the frame rules and the decoding, with one wording per error. REST's 413 keeps its own
 * wording (it names a declared size) and carries no metadata, as its clients have always seen it.
 */

/**
 * A request (head or body) that cannot be served; the validation interceptor answers with it, after
 * observation, auth and the rate limit, in the caller's protocol.
 */
export const bodyErrorKey = createContextKey<ConnectError | undefined>(undefined);

/** The message an entry path decoded already, so connect-node need not decode the body again. */
export const decodedMessageKey = createContextKey<MessageShape<DescMessage> | undefined>(undefined);

/**
 * The request as the handler must see it: refused with the body error an entry path found, or with
 * the message that entry path decoded in place of the library's (empty) one.
 */
export function withDecodedMessage(req: UnaryRequest): UnaryRequest {
  const problem = req.contextValues.get(bodyErrorKey);
  if (problem) throw problem;
  const decoded = req.contextValues.get(decodedMessageKey);
  return decoded ? { ...req, message: decoded } : req;
}

/** A decoded request body: the message, or the error to answer with. */
export type DecodedBody<M extends DescMessage> =
  | { message: MessageShape<M>; problem?: undefined }
  | { message?: undefined; problem: ConnectError };

/** The most bytes a body may have: the message limit, plus the 5-byte frame header on framed protocols. */
export function bodyLimit(maxBytes: number, framed: boolean): number {
  return framed ? maxBytes + 5 : maxBytes;
}

/** BODY_TOO_LARGE for gRPC, gRPC-Web and Connect: the limit, also in the error's metadata. */
export function bodyTooLarge(maxBytes: number): ConnectError {
  return rpcError("BODY_TOO_LARGE", `request body exceeds the limit of ${maxBytes} bytes`, {
    metadata: { limit_bytes: String(maxBytes) },
  });
}

/** BODY_TOO_LARGE for REST /v3: the declared size when the headers gave it away. */
export function restBodyTooLarge(maxBytes: number, declaredBytes?: number): ConnectError {
  const size = declaredBytes === undefined ? "" : ` of ${declaredBytes} bytes`;
  return rpcError("BODY_TOO_LARGE", `request body${size} exceeds the limit of ${maxBytes} bytes`);
}

/** A body that ended early (a reset stream, a dropped connection): what arrived is not the request. */
export function bodyCutOff(): ConnectError {
  return rpcError("CANCELLED", "the client went away before the request was complete");
}

/** A gRPC / gRPC-Web body split into its one frame's payload, or the error for a broken frame. */
export type Unframed = { payload: Uint8Array; compressed: boolean; problem?: undefined } | { problem: ConnectError };

/**
 * Reads exactly one 5-byte length-prefixed message frame. A frame marked compressed needs the
 * encoding the client sent (`identity` when none).
 */
export function unframe(bytes: Uint8Array, encoding: string): Unframed {
  const flags = bytes[0] ?? 0;
  const declared = bytes.byteLength >= 5 ? new DataView(bytes.buffer, bytes.byteOffset, 5).getUint32(1) : -1;
  if (declared !== bytes.byteLength - 5 || (flags & 0xfe) !== 0) {
    return {
      problem: rpcError("MALFORMED_PROTOBUF", "the request body must be exactly one length-prefixed message frame"),
    };
  }
  const compressed = (flags & 1) === 1;
  if (compressed && encoding === "identity") {
    return {
      problem: rpcError("MALFORMED_PROTOBUF", "the request frame is marked compressed but no grpc-encoding was sent"),
    };
  }
  return { payload: bytes.subarray(5), compressed };
}

/** Decodes a binary message, or names why it is not one. */
export function decodeBinaryBody<M extends DescMessage>(schema: M, payload: Uint8Array): DecodedBody<M> {
  try {
    return { message: fromBinary(schema, payload) };
  } catch (e) {
    return {
      problem: rpcError(
        "MALFORMED_PROTOBUF",
        `the request body is not a valid ${schema.typeName}: ${(e as Error).message}`,
      ),
    };
  }
}

/** Decodes a proto3-JSON message from UTF-8 bytes; REST takes an empty body as `{}`. */
export function decodeJsonBody<M extends DescMessage>(
  schema: M,
  payload: Uint8Array,
  options: { emptyIsObject: boolean },
): DecodedBody<M> {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(payload);
  } catch {
    return { problem: rpcError("MALFORMED_JSON", "request body is not valid UTF-8") };
  }
  try {
    return { message: decodeJsonRequest(schema, text, options) };
  } catch (e) {
    return { problem: e as ConnectError };
  }
}
