import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";

/** How reading a body ended: all of it, over the limit, or cut off (a reset, a dropped connection). */
export type BodyRead =
  | { bytes: Buffer; tooLarge?: undefined; cutOff?: undefined }
  | { bytes?: undefined; tooLarge: true; cutOff?: undefined }
  | { bytes?: undefined; tooLarge?: undefined; cutOff: true };

/** A request body source: Node's HTTP/1 request, its HTTP/2 compatibility request, or a raw HTTP/2 stream. */
type BodySource = Readable & { aborted?: boolean; complete?: boolean };

/** True when the headers declare a body longer than `limit`, so it need not be read at all. */
export function declaredOver(headers: IncomingHttpHeaders, limit: number): boolean {
  return declaredLength(headers) > limit;
}

/** The `content-length` the client sent; 0 when none. */
export function declaredLength(headers: IncomingHttpHeaders): number {
  return Number(headers["content-length"] ?? "0");
}

/**
 * Reads a body up to `limit` bytes. Over the limit it settles at once and the rest is read and
 * dropped, so the client's upload completes and it sees the answer.
 */
export function readBodyUpTo(source: BodySource, limit: number): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (read: BodyRead): void => {
      if (settled) return;
      settled = true;
      resolve(read);
    };
    const cutOff = (): void => settle({ cutOff: true });
    source.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.byteLength;
      if (size > limit) settle({ tooLarge: true });
      else chunks.push(chunk);
    });
    source.on("error", cutOff);
    source.once("aborted", cutOff);
    source.once("end", () => {
      // A reset HTTP/2 stream ends the body like a complete one.
      if (source.aborted === true || source.complete === false) return cutOff();
      settle({ bytes: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size) });
    });
  });
}
