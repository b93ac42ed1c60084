import http2 from "node:http2";
import { create, toBinary } from "@bufbuild/protobuf";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  ListBookingsRequestSchema,
  ListBookingsResponseSchema,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import { grpcFrame } from "../support/grpc-wire.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

const path = "/booking.partner.v3.BookingService/ListBookings";
const body = grpcFrame(toBinary(ListBookingsRequestSchema, create(ListBookingsRequestSchema, { userId: "u1" })));

/** Sends one call; `delayBodyMs` holds the body back after the headers. Resolves with its grpc-status. */
function call(url: string, headers: http2.OutgoingHttpHeaders, delayBodyMs = 0): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(url);
    session.on("error", reject);
    const stream = session.request({ ":method": "POST", ":path": path, te: "trailers", ...headers });
    let status: string | undefined;
    const take = (h: http2.IncomingHttpHeaders): void => {
      if (h["grpc-status"] !== undefined) status = String(h["grpc-status"]);
    };
    stream.on("response", take);
    stream.on("trailers", take);
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("close", () => {
      session.close();
      // gRPC-Web carries its status in a trailer frame at the end of the body.
      const text = Buffer.concat(chunks).toString("latin1");
      resolve(status ?? /grpc-status:\s*(\d+)/.exec(text)?.[1]);
    });
    stream.on("error", () => {});
    setTimeout(() => stream.end(body), delayBodyMs);
  });
}

describe("client deadlines at the edges", () => {
  let server: TestServer;
  let runs = 0;
  const warnings: string[] = [];
  const onWarning = (warning: Error): void => void warnings.push(warning.name);
  beforeAll(async () => {
    process.on("warning", onWarning);
    server = await startTestServer({
      handlers: {
        listBookings: async () => {
          runs += 1;
          return create(ListBookingsResponseSchema, {});
        },
      },
    });
  });
  afterAll(async () => {
    process.off("warning", onWarning);
    await server.close();
  });
  afterEach(() => {
    runs = 0;
  });

  const grpc = (extra: http2.OutgoingHttpHeaders) => ({
    "content-type": "application/grpc",
    authorization: server.authHeader,
    ...extra,
  });
  const grpcWeb = (extra: http2.OutgoingHttpHeaders) => ({
    "content-type": "application/grpc-web+proto",
    authorization: server.authHeader,
    ...extra,
  });

  it("longer than a Node timer can hold are clamped, not turned into 1 ms", async () => {
    const statuses = await Promise.all([
      call(server.url, grpc({ "grpc-timeout": "700H" })),
      call(server.url, grpc({ "grpc-timeout": "99999999H" })),
      call(server.url, grpcWeb({ "grpc-timeout": "700H" })),
      call(server.url, grpcWeb({ "grpc-timeout": "99999999S" })),
    ]);
    expect(statuses).toEqual(["0", "0", "0", "0"]);
    expect(runs).toBe(4);
    expect(warnings).not.toContain("TimeoutOverflowWarning");
  });

  it("already passed when the call could start skip the handler on both gRPC paths", async () => {
    const statuses = await Promise.all([
      call(server.url, grpc({ "grpc-timeout": "1n" })),
      call(server.url, grpcWeb({ "grpc-timeout": "1n" })),
      // The deadline runs from the request head: a body that arrives after it is too late.
      call(server.url, grpc({ "grpc-timeout": "100m" }), 300),
      call(server.url, grpcWeb({ "grpc-timeout": "100m" }), 300),
    ]);
    expect(statuses).toEqual(["4", "4", "4", "4"]);
    expect(runs).toBe(0);
  });

  it("that are malformed are refused without echoing the value", async () => {
    const status = await call(server.url, grpc({ "grpc-timeout": "<script>" }));
    expect(status).toBe("3");
    expect(runs).toBe(0);
  });
});
