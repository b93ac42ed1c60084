/**
 * The varint and string primitives of the protobuf wire format that the generated binary writer
 * (`proto-binary-writer.ts`) calls: sizes for its first pass, writes for its second.
 */

/** Bytes of a varint of a uint32; a negative int32 takes ten (it is sign-extended to 64 bits). */
export function varintSize(n: number): number {
  if (n < 0) return 10;
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

// The write helpers take the buffer and a position and answer the position after what they wrote, so
// the generated code keeps both in locals rather than in an object.

export function writeVarint(buf: Buffer, pos: number, n: number): number {
  if (n < 0) return writeVarint64(buf, pos, BigInt(n));
  while (n > 0x7f) {
    buf[pos++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  buf[pos++] = n;
  return pos;
}

/** A 64-bit value as its two's complement varint (a negative int64 takes ten bytes). */
export function writeVarint64(buf: Buffer, pos: number, value: bigint): number {
  // Most values (times, durations, amounts) fit in 32 bits: number arithmetic, no bigint allocations.
  // Number() is exact below 2^53, so a result in the uint32 range is the value itself.
  let n = Number(value);
  if (n >= 0 && n <= 0xffffffff) {
    while (n > 0x7f) {
      buf[pos++] = (n & 0x7f) | 0x80;
      n = Math.floor(n / 128);
    }
    buf[pos++] = n;
    return pos;
  }
  let u = BigInt.asUintN(64, value);
  while (u > 0x7fn) {
    buf[pos++] = Number(u & 0x7fn) | 0x80;
    u >>= 7n;
  }
  buf[pos++] = Number(u);
  return pos;
}

export function varint64Size(value: bigint): number {
  const small = Number(value);
  if (small >= 0 && small <= 0xffffffff) return varintSize(small);
  let u = BigInt.asUintN(64, value);
  let n = 1;
  while (u > 0x7fn) {
    u >>= 7n;
    n++;
  }
  return n;
}

/** UTF-8 length of a string, a lone surrogate counting as U+FFFD (3 bytes), as encoders write it. */
export function utf8Size(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2;
      i++;
    } else n += 2;
  }
  return n;
}

export function writeString(buf: Buffer, pos: number, s: string, bytes: number): number {
  pos = writeVarint(buf, pos, bytes);
  if (bytes === s.length) {
    // ASCII: a loop beats a call into the native encoder for the short strings messages hold.
    for (let i = 0; i < s.length; i++) buf[pos++] = s.charCodeAt(i);
    return pos;
  }
  return pos + buf.write(s, pos, "utf8");
}
