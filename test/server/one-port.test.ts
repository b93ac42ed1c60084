import http2 from "node:http2";
import net from "node:net";
import { create } from "@bufbuild/protobuf";
import { afterEach, describe, expect, it } from "vitest";
import { ListBookingsResponseSchema } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { createLogger } from "../../src/logger.js";
import { type BookingHttpServer, createServer } from "../../src/server/create-server.js";
import { basicAuth, testCredential, testTls } from "../support/test-server.js";

const silent = createLogger({ destination: { write: () => {} } });
let server: BookingHttpServer | undefined;
afterEach(async () => {
  await server?.close(1_000);
  server = undefined;
});

describe("the one-port front", () => {
  it("drops a client that sends partial HTTP/1 headers once the headers timeout passes", async () => {
    server = createServer({
      logger: silent,
      credentials: [testCredential],
      handlers: {},
      transport: { headersTimeoutMs: 300 },
    });
    const { port } = await server.listen(0, "127.0.0.1");
    const socket = net.connect(port, "127.0.0.1");
    socket.write("GET /v3/HealthCheck HTTP/1.1\r\nHost: x\r\n");
    const answer = await new Promise<string>((resolve) => {
      let text = "";
      socket.on("data", (chunk) => {
        text += chunk.toString();
      });
      socket.on("close", () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it("lets an in-flight call finish on close, then refuses new connections", async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered: () => void = () => {};
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve;
    });
    server = createServer({
      logger: silent,
      credentials: [testCredential],
      handlers: {
        listBookings: async () => {
          entered();
          await gate;
          return create(ListBookingsResponseSchema, { bookings: [{ bookingId: "late" }] });
        },
      },
    });
    const { url } = await server.listen(0, "127.0.0.1");
    const pending = fetch(`${url}/v3/ListBookings`, {
      method: "POST",
      headers: { authorization: basicAuth(testCredential), "content-type": "application/json" },
      body: '{"user_id":"u"}',
    });
    await inHandler;
    const closing = server.close(5_000);
    setTimeout(release, 50);
    const res = await pending;
    expect(res.status).toBe(200);
    expect(((await res.json()) as { bookings: { booking_id: string }[] }).bookings[0]?.booking_id).toBe("late");
    await closing;
    server = undefined;
    await expect(fetch(`${url}/v3/HealthCheck`)).rejects.toThrow();
  });

  it("serves HTTPS with ALPN: HTTP/1.1 and HTTP/2 on the same TLS port", async () => {
    server = createServer({
      logger: silent,
      credentials: [testCredential],
      handlers: {},
      transport: { tls: testTls() },
    });
    const { port, url } = await server.listen(0, "127.0.0.1");
    expect(url).toBe(`https://127.0.0.1:${port}`);

    const h2 = http2.connect(url, { ca: testTls().cert, servername: "localhost" });
    const h2Status = await new Promise<number>((resolve, reject) => {
      const stream = h2.request({ ":path": "/v3/HealthCheck", authorization: basicAuth(testCredential) });
      stream.on("response", (headers) => resolve(Number(headers[":status"])));
      stream.on("error", reject);
      stream.resume();
    });
    h2.close();
    expect(h2Status).toBe(200);

    const https = await import("node:https");
    const h1Status = await new Promise<number>((resolve, reject) => {
      const req = https.request(
        `${url}/v3/HealthCheck`,
        { ca: testTls().cert, servername: "localhost", headers: { authorization: basicAuth(testCredential) } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end();
    });
    expect(h1Status).toBe(200);
  });
});
