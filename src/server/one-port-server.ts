import http from "node:http";
import http2 from "node:http2";
import type { AddressInfo, Socket } from "node:net";
import net from "node:net";
import type { Http2StreamClaim } from "./grpc-fast-path.js";

type Handler = (
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
) => void;

/** Transport settings of the listening port. */
export interface OnePortOptions {
  /** PEM certificate and key: serve HTTPS with ALPN (h2, http/1.1) instead of cleartext. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Time a client has to send complete HTTP/1 request headers. */
  headersTimeoutMs?: number;
  /** Time a client has to send a complete HTTP/1 request. */
  requestTimeoutMs?: number;
  /** Time a new connection may stay silent before it is dropped. */
  firstByteTimeoutMs?: number;
  /** Sees every HTTP/2 stream before the handler and may serve it itself (the gRPC fast path). */
  claimStream?: Http2StreamClaim;
}

/** A listening port that speaks HTTP/1.1 and HTTP/2 (h2c, or h2 over TLS) to one handler. */
export interface OnePortServer {
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops accepting, lets in-flight calls finish (up to `graceMs`), then drops what is left. */
  close(graceMs?: number): Promise<void>;
}

const preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/**
 * Creates the one-port server. In cleartext a front `net.Server` reads the first bytes of each
 * connection and hands it to an HTTP/2 server when they are the HTTP/2 preface (gRPC clients use
 * prior knowledge), else to an HTTP/1.1 server. With TLS, ALPN chooses.
 */
export function createOnePortServer(handler: Handler, options: OnePortOptions = {}): OnePortServer {
  const sockets = new Set<Socket>();
  const sessions = new Set<http2.Http2Session>();
  let stopping = false;

  const h1 = http.createServer(
    {
      headersTimeout: options.headersTimeoutMs ?? 10_000,
      requestTimeout: options.requestTimeoutMs ?? 60_000,
      connectionsCheckingInterval: 1_000,
    },
    handler,
  );
  h1.on("request", (_req, res: http.ServerResponse) => {
    if (stopping) res.shouldKeepAlive = false;
  });

  const trackSession = (session: http2.Http2Session): void => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    if (stopping) session.close();
  };
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };

  let listener: net.Server;
  if (options.tls) {
    const secure = http2.createSecureServer({ ...options.tls, allowHTTP1: true }, handler);
    claimStreamsFirst(secure, options.claimStream);
    secure.on("session", trackSession);
    secure.on("connection", track);
    secure.on("request", (_req, res) => {
      if (stopping && "shouldKeepAlive" in res) (res as unknown as http.ServerResponse).shouldKeepAlive = false;
    });
    listener = secure;
  } else {
    const h2 = http2.createServer({}, handler);
    claimStreamsFirst(h2, options.claimStream);
    h2.on("session", trackSession);
    // An http.Server that never listen()s gets no connection tracking, so its header and request
    // timeouts would never fire; "listening" starts the tracker.
    h1.emit("listening");
    listener = net.createServer((socket) => {
      track(socket);
      socket.setTimeout(options.firstByteTimeoutMs ?? 10_000, () => socket.destroy());
      let seen = Buffer.alloc(0);
      const onData = (chunk: Buffer): void => {
        seen = Buffer.concat([seen, chunk]);
        const n = Math.min(seen.length, preface.length);
        const isH2 = seen.subarray(0, n).equals(preface.subarray(0, n));
        if (isH2 && seen.length < preface.length) return;
        socket.off("data", onData);
        socket.setTimeout(0);
        socket.pause();
        socket.unshift(seen);
        if (isH2) {
          // http2 reads the unshifted bytes itself; resuming here would let them flow away first.
          h2.emit("connection", socket);
        } else {
          h1.emit("connection", socket);
          socket.resume();
        }
      };
      socket.on("data", onData);
    });
  }

  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        listener.once("error", reject);
        listener.listen(port, host, () => {
          listener.off("error", reject);
          resolve(listener.address() as AddressInfo);
        });
      });
    },
    async close(graceMs = 10_000) {
      stopping = true;
      const closed = new Promise<void>((resolve) => listener.close(() => resolve()));
      for (const session of sessions) session.close();
      const deadline = Date.now() + graceMs;
      while (sockets.size > 0 && Date.now() < deadline) {
        h1.closeIdleConnections();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      for (const socket of sockets) socket.destroy();
      for (const session of sessions) session.destroy();
      h1.closeAllConnections();
      // Stops the connection tracker started above; h1 never listened, so the callback gets an error.
      h1.close(() => {});
      await closed;
    },
  };
}

type StreamListener = (
  stream: http2.ServerHttp2Stream,
  headers: http2.IncomingHttpHeaders,
  flags: number,
  rawHeaders: string[],
) => void;

/**
 * Puts `claim` in front of the HTTP/2 compatibility API. That API (which turns streams into
 * request/response pairs for the handler) is itself the server's "stream" listener, so it is moved
 * behind the claim and runs only for the streams the claim leaves alone.
 */
function claimStreamsFirst(server: http2.Http2Server | http2.Http2SecureServer, claim?: Http2StreamClaim): void {
  if (!claim) return;
  const compat = server.listeners("stream") as StreamListener[];
  server.removeAllListeners("stream");
  const dispatch: StreamListener = (stream, headers, flags, rawHeaders) => {
    if (claim(stream, headers)) return;
    for (const listener of compat) listener.call(server, stream, headers, flags, rawHeaders);
  };
  server.on("stream", dispatch);
}
