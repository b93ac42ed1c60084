import http2 from "node:http2";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorReasons } from "../../src/contract/error-reasons.js";
import { type EngineServer, startEngineServer } from "../support/booking-server.js";
import { grpcFrame, rawGrpcCall } from "../support/grpc-wire.js";
import { fuzzSeeds, grpcBody, jsonBody } from "./fuzz-bodies.js";

// Enough runs to reach every generator branch for every RPC, few enough to stay well under a minute.
const numRuns = 120;
const reasons = Object.keys(errorReasons);
const codeNames = [
  "canceled",
  "invalid_argument",
  "deadline_exceeded",
  "not_found",
  "already_exists",
  "permission_denied",
  "resource_exhausted",
  "failed_precondition",
  "aborted",
  "out_of_range",
  "unimplemented",
  "unauthenticated",
];
const seedAndBody = (body: typeof jsonBody) =>
  fc.constantFrom(...fuzzSeeds).chain((seed) => body(seed.json).map((bytes) => ({ method: seed.method, bytes })));

describe("random, mutated and malformed requests to every RPC on every protocol", () => {
  let app: EngineServer;
  let initialRows: Record<string, number>;
  beforeAll(async () => {
    app = await startEngineServer();
    initialRows = await app.rowCounts();
  });
  afterAll(async () => {
    // Nothing a fuzzed call sent was bookable: the database holds exactly what it held before.
    expect(await app.rowCounts()).toEqual(initialRows);
    await app.close();
  });

  const post = (path: string, bytes: Uint8Array) =>
    fetch(`${app.server.url}${path}`, {
      method: "POST",
      headers: { authorization: app.server.authHeader, "content-type": "application/json" },
      body: bytes,
    });

  it("REST answers 200 or a 4xx in Google's error model, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(seedAndBody(jsonBody), async ({ method, bytes }) => {
        const res = await post(`/v3/${method}`, bytes);
        const body = JSON.parse(await res.text());
        if (res.status === 200) {
          expect(typeof body).toBe("object");
          return;
        }
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(body.error.code).toBe(res.status);
        expect(body.error.status).toMatch(/^[A-Z_]+$/);
        expect(typeof body.error.message).toBe("string");
        expect(body.error.errors.length).toBeGreaterThan(0);
        expect(body.error.errors[0].domain).toBe("booking");
        expect(body.error.details[0]["@type"]).toBe("type.googleapis.com/google.rpc.ErrorInfo");
        expect(reasons).toContain(body.error.details[0].reason);
      }),
      { numRuns },
    );
    const health = await fetch(`${app.server.url}/v3/HealthCheck`, {
      headers: { authorization: app.server.authHeader },
    });
    expect(health.status).toBe(200);
  });

  it("Connect JSON answers 200 or a 4xx {code, message, details} with ErrorInfo, never internal", async () => {
    await fc.assert(
      fc.asyncProperty(seedAndBody(jsonBody), async ({ method, bytes }) => {
        const res = await post(`/booking.partner.v3.BookingService/${method}`, bytes);
        const body = JSON.parse(await res.text());
        if (res.status === 200) {
          expect(typeof body).toBe("object");
          return;
        }
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(codeNames).toContain(body.code);
        expect(typeof body.message).toBe("string");
        expect(body.details[0].type).toBe("google.rpc.ErrorInfo");
        expect(reasons).toContain(body.details[0].debug.reason);
      }),
      { numRuns },
    );
    const health = await post("/booking.partner.v3.BookingService/HealthCheck", new TextEncoder().encode("{}"));
    expect(health.status).toBe(200);
  });

  it("gRPC answers OK or a non-internal status with ErrorInfo in grpc-status-details-bin", async () => {
    const session = http2.connect(app.server.url);
    const grpcCases = fc
      .constantFrom(...fuzzSeeds)
      .chain((seed) => grpcBody(seed).map((bytes) => ({ method: seed.method, bytes })));
    try {
      await fc.assert(
        fc.asyncProperty(grpcCases, async ({ method, bytes }) => {
          const answer = await rawGrpcCall(session, method, bytes, { authorization: app.server.authHeader });
          expect(answer.httpStatus).toBe(200);
          expect([2, 13, 14, 15]).not.toContain(answer.grpcStatus);
          if (answer.grpcStatus === 0) return;
          expect(answer.grpcStatus).toBeGreaterThan(0);
          expect(reasons).toContain(answer.details?.errorInfo?.reason);
        }),
        { numRuns },
      );
      const health = await rawGrpcCall(session, "HealthCheck", grpcFrame(new Uint8Array()), {
        authorization: app.server.authHeader,
      });
      expect(health.grpcStatus).toBe(0);
    } finally {
      session.close();
    }
  });
});
