import type http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { createOnePortServer, type OnePortServer } from "../../src/server/one-port-server.js";
import { startTestServer, type TestServer } from "../support/test-server.js";
import { type Http1Response, sendHttp1 } from "./raw-http1.js";

const healthPath = "/booking.partner.v3.BookingService/HealthCheck";

async function send(port: number, head: string, body = ""): Promise<Http1Response> {
  const bytes = Buffer.from(`${head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  const outcome = await sendHttp1({ port }, bytes, { timeoutMs: 4_000 });
  if (outcome.kind !== "response") throw new Error(`expected a response, got ${JSON.stringify(outcome)}`);
  return outcome;
}

describe("a request the libraries cannot parse", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const stillServing = async (): Promise<void> => {
    const answer = await fetch(`${server.url}/v3/HealthCheck`, { headers: { authorization: server.authHeader } });
    expect(answer.status).toBe(200);
  };

  it("with a malformed Host on a Connect path is answered 400 MALFORMED_REQUEST, and the server keeps serving", async () => {
    for (const host of ["[[[", "a b", "%zz", "", "x".repeat(300), "exa mple.com:80"]) {
      const answer = await send(
        server.port,
        `POST ${healthPath} HTTP/1.1\r\nHost: ${host}\r\nAuthorization: ${server.authHeader}\r\nContent-Type: application/json\r\n`,
        "{}",
      );
      expect(answer.status).toBe(400);
      const body = JSON.parse(answer.body.toString());
      expect(body).toMatchObject({ code: "invalid_argument", message: expect.stringContaining("valid host") });
      expect(body.message).not.toContain(host || "\u0000");
      await stillServing();
    }
  });

  it("without any Host (HTTP/1.0) on a Connect path is answered 400, and the server keeps serving", async () => {
    const answer = await send(
      server.port,
      `POST ${healthPath} HTTP/1.0\r\nAuthorization: ${server.authHeader}\r\nContent-Type: application/json\r\n`,
      "{}",
    );
    expect(answer.status).toBe(400);
    await stillServing();
  });

  it("with a malformed Host on REST and unknown paths is answered 400 too", async () => {
    for (const path of ["/v3/HealthCheck", "/nowhere"]) {
      const answer = await send(
        server.port,
        `GET ${path} HTTP/1.1\r\nHost: [[[\r\nAuthorization: ${server.authHeader}\r\n`,
      );
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body.toString()).error).toMatchObject({ code: 400, status: "INVALID_ARGUMENT" });
    }
    await stillServing();
  });
});

describe("a handler that throws while serving one request", () => {
  let server: OnePortServer;
  let port: number;
  const lines: string[] = [];
  beforeAll(async () => {
    const logger = createLogger({ destination: { write: (line: string) => void lines.push(line) } });
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      if (req.url === "/throw") throw new Error("handler bug");
      res.end("fine");
    };
    server = createOnePortServer(handler as never, { logger });
    port = (await server.listen(0, "127.0.0.1")).port;
  });
  afterAll(() => server.close());

  it("answers that request 500, logs it, and keeps serving", async () => {
    const failed = await fetch(`http://127.0.0.1:${port}/throw`);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ error: { code: 500, message: "internal error", status: "INTERNAL" } });
    expect(lines.join("")).toContain("handler bug");
    const next = await fetch(`http://127.0.0.1:${port}/ok`);
    expect(await next.text()).toBe("fine");
  });
});
