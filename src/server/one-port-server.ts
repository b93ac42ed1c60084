import http from "node:http";
import http2 from "node:http2";
import type { AddressInfo, Socket } from "node:net";
import net from "node:net";
import tls from "node:tls";
import type { Logger } from "../logger.js";
import { createConnectionLimiter } from "./connection-limiter.js";
import type { Http2StreamClaim } from "./grpc-fast-path.js";
import { guardStreams } from "./http2-stream-guard.js";

type Handler = (
  req: http.IncomingMessage | http2.Http2ServerRequest,
  res: http.ServerResponse | http2.Http2ServerResponse,
) => void;

/** Transport settings of the listening port; every limit applies to cleartext and TLS alike. */
export interface OnePortOptions {
  /** PEM certificate and key: serve HTTPS with ALPN (h2, http/1.1) instead of cleartext. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Time a client has to send complete HTTP/1 request headers (default 10 s). */
  headersTimeoutMs?: number;
  /** Time a client has to send a complete request, HTTP/1 or one HTTP/2 stream (default 60 s). */
  requestTimeoutMs?: number;
  /** Time a new connection may stay silent, or take to finish its TLS handshake (default 10 s). */
  firstByteTimeoutMs?: number;
  /** An HTTP/2 session with no traffic for this long is sent GOAWAY (default 30 s). */
  idleTimeoutMs?: number;
  /** Time a session sent GOAWAY has to finish its open streams before it is dropped (default 5 s). */
  goawayGraceMs?: number;
  /** Most concurrent streams a client may open on one HTTP/2 connection (default 100). */
  maxConcurrentStreams?: number;
  /** Most open connections from one remote address (default 256); more are closed at once. */
  maxConnectionsPerPeer?: number;
  /** Sees every HTTP/2 stream before the handler and may serve it itself (the gRPC fast path). */
  claimStream?: Http2StreamClaim;
  /** Where failures outside any call (a throwing handler, a refused connection) are reported. */
  logger?: Logger;
  /** Counts what the transport refused or contained: a connection over the per-peer limit, a stalled stream. */
  onTransportEvent?: (kind: TransportEvent) => void;
}

/**
 * Something the transport refused or contained, for a metric: a connection over the per-peer limit, a
 * stream whose request did not arrive in time, a handler that threw, a client gone mid-request, a
 * request that failed outside any call.
 */
export type TransportEvent = "peer_limit" | "stream_timeout" | "handler_threw" | "client_gone" | "internal";

/** A listening port that speaks HTTP/1.1 and HTTP/2 (h2c, or h2 over TLS) to one handler. */
export interface OnePortServer {
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops accepting, lets in-flight calls finish (up to `graceMs`), then drops what is left. */
  close(graceMs?: number): Promise<void>;
}

const preface = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

/**
 * Creates the one-port server. A front server accepts each connection and hands it to an HTTP/2 or
 * an HTTP/1.1 server: in cleartext by the first bytes (the HTTP/2 preface; gRPC clients use prior
 * knowledge), over TLS by ALPN. Both inner servers are the same for both, so their timeouts and
 * limits hold on every transport. An exception thrown while serving one request ends that request,
 * never the process.
 */
export function createOnePortServer(handler: Handler, options: OnePortOptions = {}): OnePortServer {
  const sockets = new Set<Socket>();
  const sessions = new Set<http2.Http2Session>();
  const logger = options.logger;
  const report = options.onTransportEvent ?? (() => {});
  const firstByteTimeoutMs = options.firstByteTimeoutMs ?? 10_000;
  const goawayGraceMs = options.goawayGraceMs ?? 5_000;
  const peers = createConnectionLimiter(options.maxConnectionsPerPeer ?? 256);
  let stopping = false;

  const requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  const contained = containThrows(handler, logger, report);
  const h1 = http.createServer(
    {
      // Node requires the header limit to be no longer than the whole request's.
      headersTimeout: Math.min(options.headersTimeoutMs ?? 10_000, requestTimeoutMs),
      requestTimeout: requestTimeoutMs,
      connectionsCheckingInterval: 1_000,
    },
    contained,
  );
  h1.on("request", (_req, res: http.ServerResponse) => {
    if (stopping) res.shouldKeepAlive = false;
  });
  // An http.Server that never listen()s gets no connection tracking, so its header and request
  // timeouts would never fire; "listening" starts the tracker.
  h1.emit("listening");

  const h2 = http2.createServer(
    { settings: { maxConcurrentStreams: options.maxConcurrentStreams ?? 100 }, maxSessionRejectedStreams: 100 },
    contained,
  );
  guardStreams(h2, {
    requestTimeoutMs,
    ...(options.claimStream ? { claim: options.claimStream } : {}),
    onTimeout: () => report("stream_timeout"),
    onClaimThrew: (error) => {
      report("handler_threw");
      logger?.error({ err: error }, "HTTP/2 stream failed before a call started");
    },
  });
  const closeGracefully = (session: http2.Http2Session): void => {
    if (session.closed || session.destroyed) return;
    session.close();
    // A peer that keeps its streams open after GOAWAY does not keep the connection.
    setTimeout(() => session.destroy(), goawayGraceMs).unref();
  };
  h2.setTimeout(options.idleTimeoutMs ?? 30_000);
  h2.on("timeout", closeGracefully);
  h2.on("session", (session: http2.Http2Session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    if (stopping) closeGracefully(session);
  });
  h2.on("sessionError", () => {
    // The session is torn down by node itself; the error concerns one connection only.
  });

  /** Gives an accepted connection to the HTTP/2 or the HTTP/1.1 server. */
  const dispatch = (socket: Socket, isH2: boolean): void => {
    if (isH2) {
      h2.emit("connection", socket);
    } else {
      h1.emit("connection", socket);
      socket.resume();
    }
  };
  /** Admits a new TCP connection, or closes it when its peer already has too many. */
  const admit = (socket: Socket): boolean => {
    socket.on("error", () => socket.destroy());
    if (stopping || !peers.open(socket)) {
      if (!stopping) {
        report("peer_limit");
        if (peers.firstRefusal(socket)) logger?.warn("connections from one address over the limit; refusing more");
      }
      socket.destroy();
      return false;
    }
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    return true;
  };

  let listener: net.Server;
  if (options.tls) {
    const secure = tls.createServer({
      ...options.tls,
      ALPNProtocols: ["h2", "http/1.1"],
      handshakeTimeout: firstByteTimeoutMs,
      noDelay: true,
    });
    secure.on("connection", admit);
    secure.on("tlsClientError", (_error, socket) => socket.destroy());
    secure.on("secureConnection", (socket: tls.TLSSocket) => {
      socket.on("error", () => socket.destroy());
      dispatch(socket, socket.alpnProtocol === "h2");
    });
    listener = secure;
  } else {
    // Nagle off (TLS too, above), as node:http servers set it on the sockets they accept themselves: the
    // inner servers here never listen, so their default does not apply.
    listener = net.createServer({ noDelay: true }, (socket) => {
      if (!admit(socket)) return;
      socket.setTimeout(firstByteTimeoutMs, () => socket.destroy());
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
        // http2 reads the unshifted bytes itself; dispatch resumes only HTTP/1 sockets.
        dispatch(socket, isH2);
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

/**
 * The handler, with anything it throws synchronously turned into a 500 (or a cut connection when the
 * answer had begun) for that request alone. Asynchronous failures are the handler's own to catch.
 * A body still arriving once the answer is sent (one refused from its headers, or too large) is read
 * and dropped, so the client's upload completes and it sees the answer instead of stalling on flow control.
 */
function containThrows(handler: Handler, logger: Logger | undefined, report: (kind: TransportEvent) => void): Handler {
  return (req, res) => {
    res.once("finish", () => {
      if (!req.readableEnded) req.resume();
    });
    try {
      handler(req, res);
    } catch (error) {
      report("handler_threw");
      logger?.error({ err: error }, "request failed before a call started");
      if (res.headersSent || res.destroyed) {
        res.destroy();
        return;
      }
      const body = JSON.stringify({ error: { code: 500, message: "internal error", status: "INTERNAL" } });
      (res as http.ServerResponse).writeHead(500, {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(body),
      });
      res.end(body);
    }
  };
}
