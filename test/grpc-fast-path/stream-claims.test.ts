import { gzipSync } from "node:zlib";
import { create, toBinary } from "@bufbuild/protobuf";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BookingService, GetBookingStatusRequestSchema } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { createLogger } from "../../src/logger.js";
import { createBookingServiceImpl } from "../../src/rpc/booking-service-impl.js";
import { createGrpcFastPath, type Http2StreamClaim } from "../../src/server/grpc-fast-path.js";
import { createOnePortServer, type OnePortServer } from "../../src/server/one-port-server.js";
import { createRequestCore, unarySpecsOf } from "../../src/server/request-core.js";
import { grpcFrame } from "../support/grpc-wire.js";
import { rawExchange } from "./raw-exchange.js";

const impl = createBookingServiceImpl({ getBookingStatus: (req) => ({ bookingId: req.bookingId }) });
const path = "/booking.partner.v3.BookingService/GetBookingStatus";
const frame = grpcFrame(
  toBinary(GetBookingStatusRequestSchema, create(GetBookingStatusRequestSchema, { bookingId: "b-1" })),
);

describe("the fast path takes plain unary gRPC and leaves everything else to connect-node", () => {
  let server: OnePortServer;
  let url: string;
  const claimed: boolean[] = [];
  beforeAll(async () => {
    const core = createRequestCore({
      service: BookingService,
      specs: unarySpecsOf(BookingService, impl),
      interceptors: [],
      maxBodyBytes: 1 << 20,
    });
    const logger = createLogger({ destination: { write: () => true } as never });
    const fastPath = createGrpcFastPath({ core, logger });
    const recording: Http2StreamClaim = (stream, headers) => {
      const taken = fastPath(stream, headers);
      claimed.push(taken);
      return taken;
    };
    const handler = connectNodeAdapter({ routes: (router) => router.service(BookingService, impl) });
    server = createOnePortServer(handler, { claimStream: recording });
    url = `http://127.0.0.1:${(await server.listen(0, "127.0.0.1")).port}`;
  });
  afterAll(() => server.close(1_000));

  const exchange = async (headers: Record<string, string>, body: Uint8Array = frame) => {
    claimed.length = 0;
    const answer = await rawExchange(url, { ":path": path, "content-type": "application/grpc", ...headers }, body);
    return { claimed: claimed[0], grpcStatus: answer.trailers["grpc-status"] ?? answer.headers["grpc-status"] };
  };

  it("claims binary unary calls, with or without identity encoding and a deadline", async () => {
    expect(await exchange({})).toEqual({ claimed: true, grpcStatus: "0" });
    expect(await exchange({ "content-type": "application/grpc+proto", "grpc-timeout": "5S" })).toEqual({
      claimed: true,
      grpcStatus: "0",
    });
    expect(await exchange({ "grpc-encoding": "identity" })).toEqual({ claimed: true, grpcStatus: "0" });
  });

  it("leaves compression, JSON, malformed deadlines and unknown paths to connect-node, which still answers", async () => {
    expect(await exchange({ "grpc-encoding": "gzip" }, grpcFrame(gzipSync(frame.subarray(5)), 1))).toEqual({
      claimed: false,
      grpcStatus: "0",
    });
    expect(
      await exchange({ "content-type": "application/grpc+json" }, grpcFrame(Buffer.from('{"bookingId":"x"}'))),
    ).toEqual({
      claimed: false,
      grpcStatus: "0",
    });
    expect((await exchange({ "grpc-timeout": "later" })).claimed).toBe(false);
    expect((await exchange({ ":path": "/booking.partner.v3.BookingService/Unknown" })).claimed).toBe(false);
  });

  it("leaves Connect and gRPC-Web over HTTP/2 to connect-node", async () => {
    const connect = await fetchOverH2({ "content-type": "application/proto" }, frame.subarray(5));
    expect(connect).toEqual({ claimed: false, status: 200 });
    const web = await fetchOverH2({ "content-type": "application/grpc-web+proto" }, frame);
    expect(web).toEqual({ claimed: false, status: 200 });
  });

  async function fetchOverH2(headers: Record<string, string>, body: Uint8Array) {
    claimed.length = 0;
    const answer = await rawExchange(url, { ":path": path, ...headers }, body);
    return { claimed: claimed[0], status: answer.headers[":status"] };
  }
});
