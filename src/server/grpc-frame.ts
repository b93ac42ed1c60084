/**
 * Writes the 5-byte gRPC frame header into the first bytes of `frame`, for the message that fills the
 * rest of it, flagged compressed when it is.
 */
export function writeFrameHeader(frame: Buffer, compressed = false): Buffer {
  frame[0] = compressed ? 1 : 0;
  frame.writeUInt32BE(frame.byteLength - 5, 1);
  return frame;
}

/** Prefixes an encoded message with the 5-byte gRPC frame header, flagged compressed when it is. */
export function encodeFrame(message: Uint8Array, compressed = false): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.byteLength);
  frame.set(message, 5);
  return writeFrameHeader(frame, compressed);
}
