import { create } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ListBookingsResponseSchema } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { createGrpcClient } from "../support/grpc-client.js";
import { basicAuth, startTestServer, type TestServer } from "../support/test-server.js";

describe("HTTP Basic auth on every protocol", () => {
  let server: TestServer;
  let handlerRuns = 0;
  const current = "google:current-password";
  const next = "google:next-password";

  beforeAll(async () => {
    server = await startTestServer({
      credentials: [current, next],
      handlers: {
        listBookings: () => {
          handlerRuns += 1;
          return create(ListBookingsResponseSchema, {});
        },
      },
    });
  });
  afterAll(() => server.close());

  const restCall = (authorization?: string) =>
    fetch(`${server.url}/v3/ListBookings`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ user_id: "u" }),
    });

  it("accepts every active credential, so a password can be rotated without downtime", async () => {
    expect((await restCall(basicAuth(current))).status).toBe(200);
    expect((await restCall(basicAuth(next))).status).toBe(200);
  });

  it("answers REST without or with wrong credentials with 401, WWW-Authenticate and a JSON error, running no handler", async () => {
    const before = handlerRuns;
    for (const authorization of [
      undefined,
      basicAuth("google:wrong"),
      basicAuth("nobody:current-password"),
      "Bearer abc",
      "Basic !!!",
    ]) {
      const res = await restCall(authorization);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Basic realm="booking-server"/);
      const body = (await res.json()) as { error: { code: number; status: string; details: { reason: string }[] } };
      expect(body.error.code).toBe(401);
      expect(body.error.status).toBe("UNAUTHENTICATED");
      expect(["CREDENTIALS_MISSING", "CREDENTIALS_INVALID"]).toContain(body.error.details[0]?.reason);
    }
    expect(handlerRuns).toBe(before);
  });

  it("refuses bad credentials before reading a malformed body", async () => {
    const res = await fetch(`${server.url}/v3/CreateBooking`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: basicAuth("google:wrong") },
      body: "{not json",
    });
    expect(res.status).toBe(401);
  });

  it("answers Connect with 401 unauthenticated and gRPC with UNAUTHENTICATED, running no handler", async () => {
    const before = handlerRuns;
    const connect = await fetch(`${server.url}/booking.partner.v3.BookingService/ListBookings`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: basicAuth("google:wrong") },
      body: JSON.stringify({ userId: "u" }),
    });
    expect(connect.status).toBe(401);
    expect(((await connect.json()) as { code: string }).code).toBe("unauthenticated");

    const grpc = createGrpcClient(`127.0.0.1:${server.port}`);
    const missing = await grpc.call("ListBookings", { user_id: "u" });
    const wrong = await grpc.call("ListBookings", { user_id: "u" }, { authorization: basicAuth("google:nope") });
    const right = await grpc.call("ListBookings", { user_id: "u" }, { authorization: basicAuth(next) });
    grpc.close();
    expect(missing.error?.code).toBe(16);
    expect(wrong.error?.code).toBe(16);
    expect(right.error).toBeUndefined();
    expect(handlerRuns).toBe(before + 1);
  });

  it("never writes the Authorization header or the password to the log", async () => {
    await restCall(basicAuth(current));
    expect(server.rawLog()).not.toContain("current-password");
    expect(server.rawLog()).not.toContain(basicAuth(current).slice(6));
    const calls = server.logLines().filter((line) => line.msg === "call");
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.at(-1)).toMatchObject({ rpc: "ListBookings", protocol: "rest", caller: "google", outcome: "ok" });
  });
});
