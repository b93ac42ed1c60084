import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EngineServer, startEngineServer } from "../support/booking-server.js";
import { createGrpcClient } from "../support/grpc-client.js";
import { testBackends } from "../support/test-database.js";

describe.each(testBackends)("HealthCheck follows the database (%s)", (backend) => {
  let app: EngineServer;
  beforeAll(async () => {
    app = await startEngineServer({ backend });
  });
  afterAll(() => app.close());

  const restHealth = () =>
    fetch(`${app.server.url}/v3/HealthCheck`, { headers: { authorization: app.server.authHeader } });

  it("answers 200 while the database answers, and 503 DATABASE_UNAVAILABLE with Retry-After once it does not", async () => {
    expect((await restHealth()).status).toBe(200);
    await app.storage.close();
    const res = await restHealth();
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(await res.json()).toEqual({
      error: {
        code: 503,
        message: "the booking store is not usable",
        status: "UNAVAILABLE",
        errors: [{ domain: "booking", reason: "databaseUnavailable", message: "the booking store is not usable" }],
        details: [
          { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "DATABASE_UNAVAILABLE", domain: "booking" },
          { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "5s" },
        ],
      },
    });
    const grpc = createGrpcClient(`127.0.0.1:${app.server.port}`);
    const viaGrpc = await grpc.call("HealthCheck", {}, { authorization: app.server.authHeader });
    grpc.close();
    expect(viaGrpc.error?.code).toBe(14);
    const calls = app.server.logLines().filter((line) => line.rpc === "HealthCheck");
    expect(calls.map((line) => line.outcome)).toEqual(["ok", "DATABASE_UNAVAILABLE", "DATABASE_UNAVAILABLE"]);
  });
});
