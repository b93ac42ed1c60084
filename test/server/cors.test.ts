import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCorsOrigin } from "../../src/server/cors.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

const allowed = "https://app.example.com";
const other = "https://evil.example.net";
const connectHealth = "/booking.partner.v3.BookingService/HealthCheck";

const preflight = (server: TestServer, origin: string, path = connectHealth) =>
  fetch(`${server.url}${path}`, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization,content-type,connect-protocol-version,x-request-id",
    },
  });

describe("CORS for configured origins", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ corsOrigins: [allowed] });
  });
  afterAll(() => server.close());

  it("answers a preflight from an allowed origin with what Connect, gRPC-Web and REST clients send", async () => {
    for (const path of [connectHealth, "/v3/CreateBooking"]) {
      const res = await preflight(server, allowed, path);
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe(allowed);
      expect(res.headers.get("access-control-allow-methods")).toContain("POST");
      const headers = (res.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(", ");
      expect(headers).toEqual(
        expect.arrayContaining([
          "authorization",
          "content-type",
          "connect-protocol-version",
          "connect-timeout-ms",
          "x-grpc-web",
          "x-user-agent",
          "grpc-timeout",
          "x-request-id",
        ]),
      );
      expect(res.headers.get("access-control-max-age")).toBe("7200");
      expect(res.headers.get("vary")).toContain("Origin");
    }
  });

  it("refuses a preflight from another origin, without CORS headers", async () => {
    const res = await preflight(server, other);
    expect(res.status).toBe(403);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("marks actual answers for an allowed origin (Connect, gRPC-Web, REST), errors included", async () => {
    const connect = await fetch(`${server.url}${connectHealth}`, {
      method: "POST",
      headers: { origin: allowed, "content-type": "application/json", authorization: server.authHeader },
      body: "{}",
    });
    expect(connect.status).toBe(200);
    expect(connect.headers.get("access-control-allow-origin")).toBe(allowed);
    const exposed = (connect.headers.get("access-control-expose-headers") ?? "").toLowerCase().split(", ");
    expect(exposed).toEqual(
      expect.arrayContaining(["grpc-status", "grpc-message", "grpc-status-details-bin", "x-request-id", "retry-after"]),
    );
    const grpcWeb = await fetch(`${server.url}${connectHealth}`, {
      method: "POST",
      headers: { origin: allowed, "content-type": "application/grpc-web+proto", "x-grpc-web": "1" },
      body: new Uint8Array(5),
    });
    // Unauthenticated: the page can read the error from the trailer frame.
    expect(grpcWeb.headers.get("access-control-allow-origin")).toBe(allowed);
    expect(Buffer.from(await grpcWeb.arrayBuffer()).toString("latin1")).toMatch(/grpc-status: ?16/);
    const rest = await fetch(`${server.url}/v3/HealthCheck`, {
      headers: { origin: allowed, authorization: server.authHeader },
    });
    expect(rest.status).toBe(200);
    expect(rest.headers.get("access-control-allow-origin")).toBe(allowed);
  });

  it("serves a request from another origin without CORS headers, so the browser hides the answer", async () => {
    const res = await fetch(`${server.url}/v3/HealthCheck`, {
      headers: { origin: other, authorization: server.authHeader },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("vary")).toContain("Origin");
  });
});

describe("CORS off (the default)", () => {
  it("adds nothing and leaves OPTIONS as any unknown verb", async () => {
    const server = await startTestServer();
    try {
      const res = await preflight(server, allowed, "/v3/HealthCheck");
      expect(res.status).toBe(405);
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      await res.arrayBuffer();
    } finally {
      await server.close();
    }
  });

  it("takes only origins or * from --cors-origin", () => {
    expect(parseCorsOrigin("https://app.example.com")).toBe("https://app.example.com");
    expect(parseCorsOrigin("http://localhost:5173/")).toBe("http://localhost:5173");
    expect(parseCorsOrigin("*")).toBe("*");
    expect(() => parseCorsOrigin("https://app.example.com/path")).toThrow(/is not an origin/);
    expect(() => parseCorsOrigin("app.example.com")).toThrow(/is not an origin/);
  });
});
