import http2 from "node:http2";
import net from "node:net";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer, testTls } from "../support/test-server.js";

/** Milliseconds until the socket closes, or Infinity when it is still open after `limitMs`. */
function closesWithin(socket: net.Socket, limitMs: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(Number.POSITIVE_INFINITY);
    }, limitMs);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(performance.now() - started);
    });
  });
}

describe("timeouts over TLS, as in cleartext", () => {
  let server: TestServer;
  const { cert } = testTls();
  beforeAll(async () => {
    server = await startTestServer({
      tls: testTls(),
      transport: { firstByteTimeoutMs: 400, headersTimeoutMs: 600, requestTimeoutMs: 1_500, idleTimeoutMs: 500 },
    });
  });
  afterAll(() => server.close());

  const secure = (alpn: string): Promise<tls.TLSSocket> =>
    new Promise((resolve, reject) => {
      const socket = tls.connect({ port: server.port, host: "127.0.0.1", ca: cert, ALPNProtocols: [alpn] }, () =>
        resolve(socket),
      );
      socket.on("error", reject);
    });

  it("drops a connection that never sends a ClientHello", async () => {
    const socket = net.connect(server.port, "127.0.0.1");
    socket.on("error", () => {});
    expect(await closesWithin(socket, 5_000)).toBeLessThan(5_000);
  });

  it("drops an HTTP/1.1 client that never finishes its headers (slowloris)", async () => {
    const socket = await secure("http/1.1");
    socket.on("error", () => {});
    socket.write("GET /v3/HealthCheck HTTP/1.1\r\nHost: localhost\r\n");
    const trickle = setInterval(() => socket.write("X-Slow: 1\r\n"), 200);
    const closedAfter = await closesWithin(socket, 6_000);
    clearInterval(trickle);
    expect(closedAfter).toBeLessThan(6_000);
  });

  it("drops an HTTP/1.1 request whose body never completes", async () => {
    const socket = await secure("http/1.1");
    socket.on("error", () => {});
    socket.write(
      `POST /v3/ListBookings HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${server.authHeader}\r\n` +
        "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
    );
    const trickle = setInterval(() => socket.write(" "), 200);
    const closedAfter = await closesWithin(socket, 6_000);
    clearInterval(trickle);
    expect(closedAfter).toBeLessThan(6_000);
  });

  it("sends an idle h2 session GOAWAY and closes it", async () => {
    const session = http2.connect(server.url, { ca: cert });
    session.on("error", () => {});
    const closed = new Promise<number>((resolve) => {
      const started = performance.now();
      const timer = setTimeout(() => resolve(Number.POSITIVE_INFINITY), 5_000);
      session.once("close", () => {
        clearTimeout(timer);
        resolve(performance.now() - started);
      });
    });
    expect(await closed).toBeLessThan(5_000);
    session.destroy();
  });

  it("cancels a stalled h2 stream", async () => {
    const session = http2.connect(server.url, { ca: cert });
    session.on("error", () => {});
    const stream = session.request({
      ":method": "POST",
      ":path": "/booking.partner.v3.BookingService/ListBookings",
      "content-type": "application/json",
      authorization: server.authHeader,
    });
    stream.on("error", () => {});
    stream.write("{");
    const code = await new Promise<number | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), 5_000);
      stream.once("close", () => {
        clearTimeout(timer);
        resolve(stream.rstCode);
      });
    });
    expect(code).toBe(http2.constants.NGHTTP2_CANCEL);
    session.destroy();
  });
});
