import { gzipSync } from "node:zlib";
import { create, toBinary } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type GetBookingStatusRequest,
  GetBookingStatusRequestSchema,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import { rpcError } from "../../src/contract/errors.js";
import { grpcFrame } from "../support/grpc-wire.js";
import { rawExchange } from "./raw-exchange.js";
import { startTwinServers, type TwinServers } from "./twin-servers.js";

const getBookingStatus = async (req: GetBookingStatusRequest, context: HandlerContext) => {
  context.responseHeader.set("x-handler", "h");
  context.responseTrailer.set("x-handler-trailer", "t");
  if (req.bookingId === "missing") throw rpcError("BOOKING_NOT_FOUND", "no booking 'missing' — ünïcode");
  if (req.bookingId === "slow") {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5_000);
      context.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  return { bookingId: req.bookingId };
};

const path = "/booking.partner.v3.BookingService/GetBookingStatus";
const message = (bookingId: string) =>
  toBinary(GetBookingStatusRequestSchema, create(GetBookingStatusRequestSchema, { bookingId }));

describe("on the wire, the gRPC fast path and connect-node answer byte for byte alike", () => {
  let twins: TwinServers;
  beforeAll(async () => {
    twins = await startTwinServers({ getBookingStatus });
  });
  afterAll(() => twins.close());

  const grpc = (extra: Record<string, string> = {}) => ({
    ":path": path,
    "content-type": "application/grpc",
    authorization: twins.authHeader,
    ...extra,
  });
  const cases: [string, () => Record<string, string>, () => Uint8Array][] = [
    ["a successful call", () => grpc(), () => grpcFrame(message("b-1"))],
    [
      "content type application/grpc+proto",
      () => grpc({ "content-type": "application/grpc+proto" }),
      () => grpcFrame(message("b-2")),
    ],
    ["explicit identity encoding", () => grpc({ "grpc-encoding": "identity" }), () => grpcFrame(message("b-3"))],
    ["a handler error with non-ASCII message", () => grpc(), () => grpcFrame(message("missing"))],
    ["no credentials", () => ({ ...grpc(), authorization: "" }), () => grpcFrame(message("b-4"))],
    ["a server-side grpc-timeout that passes", () => grpc({ "grpc-timeout": "50m" }), () => grpcFrame(message("slow"))],
    ["a frame whose length is wrong", () => grpc(), () => Buffer.from([0, 0, 0, 0, 9, 1, 2])],
    ["bytes that are not protobuf", () => grpc(), () => grpcFrame(Buffer.from([0xff, 0xff]))],
    ["a frame marked compressed without grpc-encoding", () => grpc(), () => grpcFrame(message("b-5"), 1)],
    ["an empty body", () => grpc(), () => new Uint8Array(0)],
    ["a body over the size limit", () => grpc(), () => grpcFrame(new Uint8Array(1024 * 1024 + 10))],
    ["a malformed body without credentials", () => ({ ...grpc(), authorization: "" }), () => Buffer.from([0, 0, 0])],
    [
      "a malformed grpc-timeout (left to connect-node)",
      () => grpc({ "grpc-timeout": "soon" }),
      () => grpcFrame(message("b-6")),
    ],
    [
      "gzip encoding (left to connect-node)",
      () => grpc({ "grpc-encoding": "gzip" }),
      () => grpcFrame(gzipSync(message("b-7")), 1),
    ],
    [
      "JSON over gRPC (left to connect-node)",
      () => grpc({ "content-type": "application/grpc+json" }),
      () => grpcFrame(Buffer.from('{"bookingId":"b-8"}')),
    ],
    [
      "an unknown method (left to connect-node)",
      () => ({ ...grpc(), ":path": "/booking.partner.v3.BookingService/Nope" }),
      () => grpcFrame(message("b-9")),
    ],
  ];

  it.each(cases)("for %s", async (_name, headers, body) => {
    const fast = await rawExchange(twins.fast.url, headers(), body());
    const connect = await rawExchange(twins.connect.url, headers(), body());
    expect(fast.headers[":status"]).toBe(200);
    expect(fast).toEqual(connect);
  });
});
