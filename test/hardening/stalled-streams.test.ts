import http2 from "node:http2";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/test-server.js";

const connectPath = "/booking.partner.v3.BookingService/ListBookings";

/** Resolves when `emitter` emits `event`, or rejects after `ms`. */
function within<T>(ms: number, what: string, wait: (done: (value: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
    wait((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}

/** Opens a stream that sends its headers and part of a body, then nothing more. */
function stalledStream(session: http2.ClientHttp2Session, headers: http2.OutgoingHttpHeaders): http2.ClientHttp2Stream {
  const stream = session.request({
    ":method": "POST",
    ":path": connectPath,
    "content-type": "application/json",
    ...headers,
  });
  stream.on("error", () => {});
  stream.write('{"user_id":');
  return stream;
}

async function healthLatencyMs(server: TestServer): Promise<number> {
  const started = performance.now();
  const answer = await fetch(`${server.url}/v3/HealthCheck`, { headers: { authorization: server.authHeader } });
  expect(answer.status).toBe(200);
  return performance.now() - started;
}

describe("HTTP/2 streams and sessions that stall", () => {
  let server: TestServer | undefined;
  const sessions: http2.ClientHttp2Session[] = [];
  afterEach(async () => {
    for (const session of sessions.splice(0)) session.destroy();
    await server?.close();
    server = undefined;
  });
  const connect = (url: string): http2.ClientHttp2Session => {
    const session = http2.connect(url);
    session.on("error", () => {});
    sessions.push(session);
    return session;
  };

  it("are bounded per session: the server advertises 100 concurrent streams", async () => {
    server = await startTestServer();
    const session = connect(server.url);
    const settings = await within<http2.Settings>(2_000, "SETTINGS", (done) => session.once("remoteSettings", done));
    expect(settings.maxConcurrentStreams).toBe(100);
  });

  it("cost a flood little: unauthenticated stalled streams are refused from their headers, HealthCheck stays fast", async () => {
    server = await startTestServer();
    const running = server;
    const rssBefore = process.memoryUsage().rss;
    const answers: Promise<number>[] = [];
    for (let s = 0; s < 10; s++) {
      const session = connect(running.url);
      for (let i = 0; i < 100; i++) {
        const stream = stalledStream(session, {});
        answers.push(within(10_000, "a 401", (done) => stream.once("response", (h) => done(Number(h[":status"])))));
      }
    }
    const latencies = await Promise.all(Array.from({ length: 5 }, () => healthLatencyMs(running)));
    const statuses = await Promise.all(answers);
    expect(new Set(statuses)).toEqual(new Set([401]));
    // Loose bounds: a busy 2-core machine passes them; a server decoding or buffering each stream does not.
    expect(Math.max(...latencies)).toBeLessThan(2_000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * 1024 * 1024);
    expect(await healthLatencyMs(running)).toBeLessThan(2_000);
  });

  it("are cancelled when their request does not arrive in time, sooner when the client set a deadline", async () => {
    server = await startTestServer({ transport: { requestTimeoutMs: 1_500 } });
    const session = connect(server.url);
    const started = performance.now();
    const plain = stalledStream(session, { authorization: server.authHeader });
    const withDeadline = stalledStream(session, { authorization: server.authHeader, "connect-timeout-ms": "100" });
    const closed = (stream: http2.ClientHttp2Stream) =>
      within<number>(5_000, "a reset", (done) => stream.once("close", () => done(stream.rstCode ?? -1)));
    const [deadlineCode, plainCode] = await Promise.all([
      closed(withDeadline).then((code) => ({ code, ms: performance.now() - started })),
      closed(plain).then((code) => ({ code, ms: performance.now() - started })),
    ]);
    expect(deadlineCode.code).toBe(http2.constants.NGHTTP2_CANCEL);
    expect(plainCode.code).toBe(http2.constants.NGHTTP2_CANCEL);
    expect(deadlineCode.ms).toBeLessThan(plainCode.ms);
    expect(await healthLatencyMs(server)).toBeLessThan(2_000);
  });

  it("an oversized body gets its error and the stream finishes, on REST, Connect and gRPC", async () => {
    server = await startTestServer();
    const running = server;
    const session = connect(running.url);
    const big = Buffer.alloc(3 * 1024 * 1024, 0x20);
    const paths: [string, string][] = [
      ["/v3/ListBookings", "application/json"],
      [connectPath, "application/json"],
      [connectPath, "application/grpc"],
    ];
    const finished = await Promise.all(
      paths.map(([path, contentType]) => {
        const stream = session.request({
          ":method": "POST",
          ":path": path,
          "content-type": contentType,
          authorization: running.authHeader,
        });
        stream.on("error", () => {});
        stream.resume();
        stream.end(big);
        return within<number>(8_000, `the end of ${path} (${contentType})`, (done) =>
          stream.once("response", (headers) => stream.once("close", () => done(Number(headers[":status"])))),
        );
      }),
    );
    expect(finished).toEqual([413, 429, 200]);
  });

  it("idle sessions are sent GOAWAY, and a session that keeps a stream open after it is dropped", async () => {
    server = await startTestServer({
      transport: { idleTimeoutMs: 300, goawayGraceMs: 300, requestTimeoutMs: 30_000 },
    });
    const idle = connect(server.url);
    await within(2_000, "SETTINGS", (done) => idle.once("remoteSettings", done));
    await within(3_000, "GOAWAY on an idle session", (done) => idle.once("goaway", done));
    const holding = connect(server.url);
    stalledStream(holding, { authorization: server.authHeader });
    await within(3_000, "GOAWAY while a stream stalls", (done) => holding.once("goaway", done));
    await within(3_000, "the session's end", (done) => holding.once("close", done));
  });
});

describe("connections from one address", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("over the limit are closed at once, and the others keep being served", async () => {
    server = await startTestServer({ transport: { maxConnectionsPerPeer: 3 } });
    const held = await Promise.all(
      Array.from(
        { length: 3 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const socket = net.connect(server?.port ?? 0, "127.0.0.1", () => resolve(socket));
          }),
      ),
    );
    const extra = net.connect(server.port, "127.0.0.1");
    extra.on("error", () => {});
    await within(2_000, "the extra connection's close", (done) => extra.once("close", done));
    const first = held[0] as net.Socket;
    const answer = await within<string>(2_000, "an answer on a held connection", (done) => {
      let text = "";
      first.on("data", (chunk) => {
        text += chunk.toString();
        if (text.includes("\r\n\r\n")) done(text);
      });
      first.write(`GET /v3/HealthCheck HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${server?.authHeader}\r\n\r\n`);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    for (const socket of held) socket.destroy();
  });
});
