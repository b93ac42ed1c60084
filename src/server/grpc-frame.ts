/** Prefixes an encoded message with the 5-byte gRPC frame header, flagged compressed when it is. */
export function encodeFrame(message: Uint8Array, compressed = false): Buffer {
  const frame = Buffer.allocUnsafe(5 + message.byteLength);
  frame[0] = compressed ? 1 : 0;
  frame.writeUInt32BE(message.byteLength, 1);
  frame.set(message, 5);
  return frame;
}
