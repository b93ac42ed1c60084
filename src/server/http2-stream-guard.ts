import http2 from "node:http2";
import type { Http2StreamClaim } from "./grpc-fast-path.js";
import { readClientTimeout } from "./request-head.js";

/** What guards every HTTP/2 stream of a server. */
export interface StreamGuardOptions {
  /** Time a stream has to deliver its whole request; the client's own deadline, when shorter, wins. */
  requestTimeoutMs: number;
  /** Takes over a stream before the request/response API sees it (the gRPC fast path). */
  claim?: Http2StreamClaim;
  /** A stream cancelled because its request did not arrive in time. */
  onTimeout(): void;
  /** The claim threw: the stream is reset, the error reported here. */
  onClaimThrew(error: unknown): void;
}

type StreamListener = (
  stream: http2.ServerHttp2Stream,
  headers: http2.IncomingHttpHeaders,
  flags: number,
  rawHeaders: string[],
) => void;

/**
 * Puts a guard in front of the server's streams. Each stream must deliver its request in time or it
 * is reset: a stalled stream holds memory and a stream slot. `claim` runs first; the HTTP/2 compatibility API (which turns streams
 * into request/response pairs) is itself the server's "stream" listener, so it is moved behind both.
 */
export function guardStreams(server: http2.Http2Server, options: StreamGuardOptions): void {
  const compat = server.listeners("stream") as StreamListener[];
  server.removeAllListeners("stream");
  const guard: StreamListener = (stream, headers, flags, rawHeaders) => {
    // A reset or broken connection surfaces as "error" on the stream; the call sees it as a close.
    stream.on("error", () => {});
    // A client that set a deadline has stopped waiting a moment after it: its stalled request goes too.
    const clientMs = readClientTimeout(headers).timeoutMs;
    const limitMs =
      clientMs === undefined ? options.requestTimeoutMs : Math.min(clientMs + 1_000, options.requestTimeoutMs);
    const timer = setTimeout(() => {
      if (stream.readableEnded || stream.closed) return;
      options.onTimeout();
      stream.close(http2.constants.NGHTTP2_CANCEL);
    }, limitMs);
    stream.once("close", () => clearTimeout(timer));
    try {
      if (options.claim?.(stream, headers)) return;
    } catch (error) {
      options.onClaimThrew(error);
      if (!stream.destroyed) stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      return;
    }
    for (const listener of compat) listener.call(server, stream, headers, flags, rawHeaders);
  };
  server.on("stream", guard);
}
