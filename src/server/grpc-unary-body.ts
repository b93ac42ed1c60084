import { type DescMessage, fromBinary, type MessageShape } from "@bufbuild/protobuf";
import type { ConnectError } from "@connectrpc/connect";
import { rpcError } from "../contract/errors.js";

/** A decoded unary gRPC request body: the message, or the error to answer with and an empty message. */
export type UnaryBody<M extends DescMessage> =
  | { message: MessageShape<M>; problem?: undefined }
  | { problem: ConnectError };

/**
 * Decodes the body of a unary gRPC call with identity encoding: exactly one 5-byte length-prefixed
 * frame holding one message. The errors and their wording are those of `guardRequestBody`, so a call
 * gets the same answer whichever path serves it.
 */
export function decodeUnaryBody<M extends DescMessage>(schema: M, bytes: Uint8Array): UnaryBody<M> {
  const flags = bytes[0] ?? 0;
  const declared = bytes.byteLength >= 5 ? new DataView(bytes.buffer, bytes.byteOffset, 5).getUint32(1) : -1;
  if (declared !== bytes.byteLength - 5 || (flags & 0xfe) !== 0) {
    return {
      problem: rpcError("MALFORMED_PROTOBUF", "the request body must be exactly one length-prefixed message frame"),
    };
  }
  if ((flags & 1) === 1) {
    return {
      problem: rpcError("MALFORMED_PROTOBUF", "the request frame is marked compressed but no grpc-encoding was sent"),
    };
  }
  try {
    return { message: fromBinary(schema, bytes.subarray(5)) };
  } catch (e) {
    return {
      problem: rpcError(
        "MALFORMED_PROTOBUF",
        `the request body is not a valid ${schema.typeName}: ${(e as Error).message}`,
      ),
    };
  }
}

/** The error for a body over the limit (the limit covers the message; the frame header comes on top). */
export function bodyTooLarge(maxBytes: number): ConnectError {
  return rpcError("BODY_TOO_LARGE", `request body exceeds the limit of ${maxBytes} bytes`, {
    metadata: { limit_bytes: String(maxBytes) },
  });
}

/** Prefixes an encoded message with the 5-byte gRPC frame header (uncompressed). */
export function encodeFrame(message: Uint8Array): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.byteLength);
  frame[0] = 0;
  frame.writeUInt32BE(message.byteLength, 1);
  frame.set(message, 5);
  return frame;
}
