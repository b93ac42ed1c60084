import { create } from "@bufbuild/protobuf";
import { afterEach, describe, expect, it } from "vitest";
import { ListBookingsResponseSchema } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { createGrpcClient } from "../support/grpc-client.js";
import { createTestDatabase, type TestDatabase, testBackends } from "../support/test-database.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

describe.skipIf(!testBackends.includes("postgres"))("the rate limit of two replicas on one PostgreSQL database", () => {
  let database: TestDatabase | undefined;
  const servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await database?.remove();
    database = undefined;
  });

  /** Two servers on one fresh database, with a bucket of 5 refilling once in 1000 s. */
  const startTwo = async () => {
    database = await createTestDatabase("postgres");
    for (let i = 0; i < 2; i += 1) {
      servers.push(
        await startTestServer({
          database: database.url,
          rateLimit: { ratePerSec: 0.001, burst: 5 },
          handlers: { listBookings: () => create(ListBookingsResponseSchema, {}) },
        }),
      );
    }
    return servers as [TestServer, TestServer];
  };

  it("grant a credential its burst once for the cluster: 5 of 20 calls spread over both, 15 RATE_LIMITED", async () => {
    const replicas = await startTwo();
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const server = replicas[i % 2] as TestServer;
        const res = await fetch(`${server.url}/v3/ListBookings`, {
          method: "POST",
          headers: { authorization: server.authHeader, "content-type": "application/json" },
          body: '{"user_id":"u"}',
        });
        const body = (await res.json()) as { error?: { details?: { reason?: string }[] } };
        return { server: i % 2, status: res.status, retryAfter: res.headers.get("retry-after"), body };
      }),
    );

    expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
    const refused = answers.filter((a) => a.status !== 200);
    expect(refused).toHaveLength(15);
    for (const answer of refused) {
      expect(answer.status).toBe(429);
      expect(answer.body.error?.details?.[0]?.reason).toBe("RATE_LIMITED");
      // Under one token left, refilling at 0.001/s: the next one is due in (1 - level) / rate seconds.
      expect(Number(answer.retryAfter)).toBeGreaterThan(990);
      expect(Number(answer.retryAfter)).toBeLessThanOrEqual(1000);
    }
    // Both replicas refused: neither granted a bucket of its own.
    expect(new Set(refused.map((a) => a.server))).toEqual(new Set([0, 1]));
  });

  it("count gRPC calls against the same bucket as REST, and never limit HealthCheck", async () => {
    const [first, second] = await startTwo();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await fetch(`${first.url}/v3/ListBookings`, {
        method: "POST",
        headers: { authorization: first.authHeader, "content-type": "application/json" },
        body: '{"user_id":"u"}',
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const grpc = createGrpcClient(`127.0.0.1:${second.port}`);
    try {
      const refused = await grpc.call("ListBookings", { user_id: "u" }, { authorization: second.authHeader });
      expect(refused.error?.code).toBe(8);
      expect(Number(refused.error?.metadata.get("retry-after")[0])).toBeGreaterThan(990);
    } finally {
      grpc.close();
    }
    for (const server of [first, second]) {
      const health = await fetch(`${server.url}/v3/HealthCheck`, { headers: { authorization: server.authHeader } });
      expect(health.status).toBe(200);
    }
  });
});
