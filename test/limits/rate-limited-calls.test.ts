import { create } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ListBookingsResponseSchema } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { createGrpcClient } from "../support/grpc-client.js";
import { decodeStatusDetails } from "../support/grpc-wire.js";
import { basicAuth, startTestServer, type TestServer, testCredential } from "../support/test-server.js";

const limited = "limited:rate-Pa55";

describe("the exact error of a rate-limited call", () => {
  let server: TestServer;
  beforeAll(async () => {
    // A bucket of one call per credential, refilling every ten seconds.
    server = await startTestServer({
      credentials: [testCredential, limited],
      rateLimit: { ratePerSec: 0.1, burst: 1 },
      handlers: { listBookings: () => create(ListBookingsResponseSchema, {}) },
    });
  });
  afterAll(() => server.close());

  const post = async (path: string, body: string, authorization: string) => {
    const res = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body,
    });
    return { status: res.status, headers: res.headers, json: JSON.parse(await res.text()) as unknown };
  };

  it("rate limited: 429 with Retry-After and RetryInfo on REST, RESOURCE_EXHAUSTED with RetryInfo on gRPC", async () => {
    const authorization = basicAuth(limited);
    expect((await post("/v3/ListBookings", '{"user_id":"u"}', authorization)).status).toBe(200);
    const rest = await post("/v3/ListBookings", '{"user_id":"u"}', authorization);
    const message = "this credential may make 0.1 calls per second (bursts of 1); retry later";
    expect(rest.status).toBe(429);
    expect(rest.headers.get("retry-after")).toBe("10");
    expect(rest.json).toEqual({
      error: {
        code: 429,
        message,
        status: "RESOURCE_EXHAUSTED",
        errors: [{ domain: "booking", reason: "rateLimited", message }],
        details: [
          { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "RATE_LIMITED", domain: "booking" },
          { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "10s" },
        ],
      },
    });
    const grpc = createGrpcClient(`127.0.0.1:${server.port}`);
    const viaGrpc = await grpc.call("ListBookings", { user_id: "u" }, { authorization });
    grpc.close();
    expect(viaGrpc.error?.code).toBe(8);
    expect(viaGrpc.error?.metadata.get("retry-after")).toEqual(["10"]);
    expect(decodeStatusDetails(viaGrpc.error?.metadata.get("grpc-status-details-bin")[0] as Buffer)).toEqual({
      code: 8,
      message,
      errorInfo: { reason: "RATE_LIMITED", domain: "booking", metadata: {} },
      violations: [],
      retryDelaySec: 10,
    });
    // The bucket is per credential: the other one is untouched, and HealthCheck is never limited.
    expect((await post("/v3/ListBookings", '{"user_id":"u"}', basicAuth(testCredential))).status).toBe(200);
    const health = await fetch(`${server.url}/v3/HealthCheck`, { headers: { authorization } });
    expect(health.status).toBe(200);
  });
});
