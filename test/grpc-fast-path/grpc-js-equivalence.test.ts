import type { HandlerContext } from "@connectrpc/connect";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { BookingStatus } from "../../gen/booking/partner/v3/booking_pb.js";
import type { GetBookingStatusRequest } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { rpcError } from "../../src/contract/errors.js";
import { decodeStatusDetailList } from "../support/grpc-wire.js";
import { basicAuth } from "../support/test-server.js";
import { type CallResult, callGrpc } from "./deadline-client.js";
import { startTwinServers, type TwinServer, type TwinServers } from "./twin-servers.js";

const abortReasons: string[] = [];

// A handler that answers, fails with details, or outlives the client's deadline, by booking id.
const getBookingStatus = async (req: GetBookingStatusRequest, context: HandlerContext) => {
  context.responseHeader.set("x-handler", "h");
  context.responseTrailer.set("x-handler-trailer", "t");
  if (req.bookingId === "missing") {
    throw rpcError("BOOKING_NOT_FOUND", "booking missing does not exist", {
      violations: [{ field: "booking_id", description: "no such booking" }],
    });
  }
  if (req.bookingId === "slow") {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 3_000);
      context.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        abortReasons.push(String((context.signal.reason as Error)?.message));
        resolve();
      });
    });
  }
  return { bookingId: req.bookingId, bookingStatus: BookingStatus.CONFIRMED };
};

/** What a grpc-js client can tell about a call, in a form two servers' answers can be compared in. */
function observable(result: CallResult) {
  const metadata = result.error?.metadata.getMap() ?? {};
  const detailsBin = result.error?.metadata.get("grpc-status-details-bin")[0];
  return {
    response: result.response,
    headerKeys: Object.keys(result.headers?.getMap() ?? {}).sort(),
    code: result.error?.code,
    details: result.error?.details,
    trailerKeys: Object.keys(metadata).sort(),
    status: detailsBin ? decodeStatusDetailList(detailsBin as Buffer) : undefined,
  };
}

describe("the gRPC fast path answers grpc-js clients exactly as connect-node does", () => {
  let twins: TwinServers;
  beforeAll(async () => {
    twins = await startTwinServers({ getBookingStatus });
  });
  afterAll(() => twins.close());

  const callBoth = async (request: object, metadata: Record<string, string>, options?: { deadlineMs?: number }) => {
    // Sequential, so the two servers' log lines come in the same order.
    const results: CallResult[] = [];
    for (const server of [twins.fast, twins.connect]) {
      const address = `127.0.0.1:${server.port}`;
      results.push(await callGrpc(address, "GetBookingStatus", request, metadata, options?.deadlineMs));
    }
    return results as [CallResult, CallResult];
  };

  it("returns the same message, headers and trailers on success", async () => {
    const [fast, connect] = await callBoth({ booking_id: "b-1" }, { authorization: twins.authHeader });
    expect(fast.error).toBeUndefined();
    expect(fast.response).toEqual({ booking_id: "b-1", booking_status: "CONFIRMED" });
    expect(fast.headers?.get("x-handler")).toEqual(["h"]);
    expect(fast.headers?.get("x-request-id")).toHaveLength(1);
    expect(observable(fast)).toEqual(observable(connect));
  });

  it("returns the same status, message and google.rpc.Status details on a handler error", async () => {
    const [fast, connect] = await callBoth({ booking_id: "missing" }, { authorization: twins.authHeader });
    expect(fast.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(observable(fast).status).toEqual({
      code: grpc.status.INVALID_ARGUMENT,
      message: "booking missing does not exist",
      details: [{ reason: "BOOKING_NOT_FOUND", domain: expect.any(String) }, { violations: ["booking_id"] }],
    });
    expect(fast.error?.metadata.get("x-handler-trailer")).toEqual(["t"]);
    expect(observable(fast)).toEqual(observable(connect));
  });

  it("refuses missing and wrong credentials with UNAUTHENTICATED before the handler runs", async () => {
    const refused: Record<string, string>[] = [{}, { authorization: basicAuth("partner:wrong") }];
    for (const metadata of refused) {
      const [fast, connect] = await callBoth({ booking_id: "b-2" }, metadata);
      expect(fast.error?.code).toBe(grpc.status.UNAUTHENTICATED);
      expect(fast.headers?.get("x-handler") ?? []).toEqual([]);
      expect(observable(fast)).toEqual(observable(connect));
    }
    const reasons = (server: TwinServer) =>
      server
        .logLines()
        .filter((line) => line.msg === "call" && line.outcome !== "ok")
        .map((line) => [line.protocol, line.outcome]);
    expect(reasons(twins.fast)).toEqual(reasons(twins.connect));
  });

  it("observes every call on both paths with the same log fields", async () => {
    const fields = (server: TwinServer) =>
      server
        .logLines()
        .filter((line) => line.msg === "call")
        .map(({ rpc, protocol, outcome, code, replayed, caller }) => ({
          rpc,
          protocol,
          outcome,
          code,
          replayed,
          caller,
        }));
    expect(fields(twins.fast).length).toBeGreaterThanOrEqual(4);
    expect(fields(twins.fast)).toEqual(fields(twins.connect));
  });

  // Whether the client's cancel or the server's timer comes first is a race on both paths, so only the
  // outcome both guarantee is compared.
  it("ends a call that outlives the client's deadline with DEADLINE_EXCEEDED and aborts the handler's signal", async () => {
    abortReasons.length = 0;
    const [fast, connect] = await callBoth(
      { booking_id: "slow" },
      { authorization: twins.authHeader },
      { deadlineMs: 200 },
    );
    expect(fast.error?.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(connect.error?.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    await vi.waitFor(() => expect(abortReasons).toHaveLength(2), { timeout: 5_000 });
  });
});
