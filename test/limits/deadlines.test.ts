import http2 from "node:http2";
import { create, toBinary } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BatchAvailabilityLookupRequestSchema,
  BatchAvailabilityLookupResponseSchema,
  ListBookingsResponseSchema,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import { grpcFrame, rawGrpcCall } from "../support/grpc-wire.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

// Handlers that take their time and ignore cancellation, as a stuck dependency would; each records
// whether its signal was aborted when it finally returned a success that must never be sent.
const slow = (ms: number, runs: Promise<boolean>[]) => (_req: unknown, ctx: HandlerContext) => {
  const run = new Promise<boolean>((resolve) => setTimeout(() => resolve(ctx.signal.aborted), ms));
  runs.push(run);
  return run;
};

describe("deadlines", () => {
  let server: TestServer;
  const runs: Promise<boolean>[] = [];
  const lookup = {
    merchant_id: "m",
    slot_time: [{ service_id: "s", start_sec: "1900000000" }],
  };
  beforeAll(async () => {
    server = await startTestServer({
      deadlines: { defaultMs: 5_000, byMethod: { BatchAvailabilityLookup: 100 } },
      handlers: {
        batchAvailabilityLookup: async (req, ctx) => {
          await slow(400, runs)(req, ctx);
          return create(BatchAvailabilityLookupResponseSchema, {});
        },
        listBookings: async (req, ctx) => {
          await slow(400, runs)(req, ctx);
          return create(ListBookingsResponseSchema, {});
        },
      },
    });
  });
  afterAll(() => server.close());

  const post = (path: string, body: object, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { authorization: server.authHeader, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  it("answers a REST lookup past the server's BatchAvailabilityLookup limit with 504 DEADLINE_EXCEEDED", async () => {
    const res = await post("/v3/BatchAvailabilityLookup", lookup);
    expect(res.status).toBe(504);
    expect(await res.json()).toEqual({
      error: {
        code: 504,
        message: "BatchAvailabilityLookup did not finish within the server's limit of 100 ms",
        status: "DEADLINE_EXCEEDED",
        errors: [
          {
            domain: "booking",
            reason: "deadlineExceeded",
            message: "BatchAvailabilityLookup did not finish within the server's limit of 100 ms",
          },
        ],
        details: [
          { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "DEADLINE_EXCEEDED", domain: "booking" },
        ],
      },
    });
  });

  it("honours connect-timeout-ms: DEADLINE_EXCEEDED, never the late success of the handler", async () => {
    const res = await post(
      "/booking.partner.v3.BookingService/ListBookings",
      { user_id: "u" },
      { "connect-timeout-ms": "50" },
    );
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({
      code: "deadline_exceeded",
      message: "the call did not finish within the deadline the client set",
      details: [{ type: "google.rpc.ErrorInfo", debug: { reason: "DEADLINE_EXCEEDED" } }],
    });
  });

  it("honours grpc-timeout on gRPC, answering status 4 with ErrorInfo", async () => {
    const session = http2.connect(server.url);
    try {
      const request = create(BatchAvailabilityLookupRequestSchema, {
        merchantId: "m",
        slotTime: [{ serviceId: "s", startSec: 1900000000n }],
      });
      const answer = await rawGrpcCall(session, "ListBookings", grpcFrame(new Uint8Array([0x0a, 0x01, 0x75])), {
        authorization: server.authHeader,
        "grpc-timeout": "50m",
      });
      expect(answer.grpcStatus).toBe(4);
      expect(answer.details?.errorInfo?.reason).toBe("DEADLINE_EXCEEDED");
      expect(answer.body.byteLength).toBe(0);
      const lookupAnswer = await rawGrpcCall(
        session,
        "BatchAvailabilityLookup",
        grpcFrame(toBinary(BatchAvailabilityLookupRequestSchema, request)),
        {
          authorization: server.authHeader,
        },
      );
      expect(lookupAnswer.grpcStatus).toBe(4);
      expect(lookupAnswer.details?.message).toBe(
        "BatchAvailabilityLookup did not finish within the server's limit of 100 ms",
      );
    } finally {
      session.close();
    }
  });

  it("aborts the handler's signal at the deadline, so a handler that listens can stop early", async () => {
    expect(await Promise.all(runs)).toEqual([true, true, true, true]);
    const calls = server.logLines().filter((line) => line.msg === "call");
    expect(calls.map((line) => line.outcome)).toEqual(Array(4).fill("DEADLINE_EXCEEDED"));
  });
});
