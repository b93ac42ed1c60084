import net from "node:net";

const preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

function frame(type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(streamId, 5);
  return Buffer.concat([head, payload]);
}

/** An HPACK integer with an N-bit prefix (RFC 7541 §5.1). */
function hpackInteger(value: number, prefixBits: number, firstByte: number): Buffer {
  const max = (1 << prefixBits) - 1;
  if (value < max) return Buffer.from([firstByte | value]);
  const bytes = [firstByte | max];
  let rest = value - max;
  while (rest >= 128) {
    bytes.push((rest % 128) + 128);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** One header field as an HPACK literal without indexing, with a literal name (no Huffman coding). */
function literalField(name: string, value: string): Buffer {
  const n = Buffer.from(name);
  const v = Buffer.from(value);
  return Buffer.concat([Buffer.from([0x00]), hpackInteger(n.length, 7, 0), n, hpackInteger(v.length, 7, 0), v]);
}

/**
 * Opens a raw h2c connection and writes, in one TCP write, a request's HEADERS, one DATA frame with
 * `body` and no END_STREAM, then RST_STREAM(CANCEL): what a client that gives up mid-upload sends.
 * Waits `settleMs`, then closes the connection.
 */
export async function sendBodyThenReset(
  port: number,
  headers: Record<string, string>,
  body: Buffer,
  settleMs = 200,
): Promise<void> {
  const fields = Buffer.concat(
    Object.entries({ ":method": "POST", ":scheme": "http", ":authority": `127.0.0.1:${port}`, ...headers }).map(
      ([name, value]) => literalField(name, value),
    ),
  );
  const cancel = Buffer.alloc(4);
  cancel.writeUInt32BE(0x8);
  const socket = net.connect(port, "127.0.0.1");
  socket.on("error", () => {});
  socket.on("data", () => {});
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  socket.write(
    Buffer.concat([
      preface,
      frame(0x4, 0, 0, Buffer.alloc(0)),
      frame(0x1, 0x4, 1, fields),
      frame(0x0, 0, 1, body),
      frame(0x3, 0, 1, cancel),
    ]),
  );
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  socket.destroy();
}
