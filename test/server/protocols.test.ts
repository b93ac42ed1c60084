import { create } from "@bufbuild/protobuf";
import { createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BookingStatus } from "../../gen/booking/partner/v3/booking_pb.js";
import { BookingService, ListBookingsResponseSchema } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { createLogger } from "../../src/logger.js";
import { createServer } from "../../src/server/create-server.js";
import { createGrpcClient } from "../support/grpc-client.js";
import { basicAuth, startTestServer, type TestServer, testCredential } from "../support/test-server.js";

const withAuth =
  (server: { authHeader: string }): Interceptor =>
  (next) =>
  (req) => {
    req.header.set("authorization", server.authHeader);
    return next(req);
  };

// A handler that echoes the user id into a booking with int64 and enum fields, so every protocol's
// round trip of a non-trivial message is visible.
const listBookings = (req: { userId: string }) =>
  create(ListBookingsResponseSchema, {
    bookings: [
      {
        bookingId: `b-${req.userId}`,
        status: BookingStatus.CONFIRMED,
        slot: { merchantId: "m1", serviceId: "s1", startSec: 9007199254740993n, durationSec: 1800n },
      },
    ],
  });

describe("one port serves every protocol with the same handlers", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ handlers: { listBookings } });
  });
  afterAll(() => server.close());

  it("answers HealthCheck over gRPC (grpc-js), Connect JSON, gRPC-Web and REST on one port", async () => {
    const grpc = createGrpcClient(`127.0.0.1:${server.port}`);
    const viaGrpc = await grpc.call("HealthCheck", {}, { authorization: server.authHeader });
    grpc.close();
    expect(viaGrpc.error).toBeUndefined();
    expect(viaGrpc.response).toEqual({});

    const connectJson = await fetch(`${server.url}/booking.partner.v3.BookingService/HealthCheck`, {
      method: "POST",
      headers: { authorization: server.authHeader, "content-type": "application/json" },
      body: "{}",
    });
    expect(connectJson.status).toBe(200);
    expect(await connectJson.json()).toEqual({});

    const web = createClient(
      BookingService,
      createGrpcWebTransport({ baseUrl: server.url, httpVersion: "1.1", interceptors: [withAuth(server)] }),
    );
    expect(await web.healthCheck({})).toBeDefined();

    const rest = await fetch(`${server.url}/v3/HealthCheck`, { headers: { authorization: server.authHeader } });
    expect(rest.status).toBe(200);
  });

  it("round-trips int64 and enum fields identically on gRPC, Connect (JSON and binary, h1 and h2), gRPC-Web and REST", async () => {
    const interceptors = [withAuth(server)];
    const transports = {
      connectJsonH1: createConnectTransport({
        baseUrl: server.url,
        httpVersion: "1.1",
        useBinaryFormat: false,
        interceptors,
      }),
      connectBinaryH2: createConnectTransport({
        baseUrl: server.url,
        httpVersion: "2",
        useBinaryFormat: true,
        interceptors,
      }),
      grpcWeb: createGrpcWebTransport({ baseUrl: server.url, httpVersion: "1.1", interceptors }),
      grpcConnectNode: createGrpcTransport({ baseUrl: server.url, interceptors }),
    };
    for (const [name, transport] of Object.entries(transports)) {
      const res = await createClient(BookingService, transport).listBookings({ userId: "u1" });
      expect(res.bookings[0]?.slot?.startSec, name).toBe(9007199254740993n);
      expect(res.bookings[0]?.status, name).toBe(BookingStatus.CONFIRMED);
      expect(res.bookings[0]?.bookingId, name).toBe("b-u1");
    }

    const grpc = createGrpcClient(`127.0.0.1:${server.port}`);
    const viaGrpc = await grpc.call("ListBookings", { user_id: "u1" }, { authorization: server.authHeader });
    grpc.close();
    expect(viaGrpc.response).toEqual({
      bookings: [
        {
          booking_id: "b-u1",
          status: "CONFIRMED",
          slot: { merchant_id: "m1", service_id: "s1", start_sec: "9007199254740993", duration_sec: "1800" },
        },
      ],
    });

    const rest = await fetch(`${server.url}/v3/ListBookings`, {
      method: "POST",
      headers: { authorization: server.authHeader, "content-type": "application/json" },
      body: JSON.stringify({ user_id: "u1" }),
    });
    expect(await rest.text()).toBe(
      '{"bookings":[{"booking_id":"b-u1","slot":{"merchant_id":"m1","service_id":"s1","start_sec":"9007199254740993","duration_sec":"1800"},"status":"CONFIRMED"}]}',
    );
  });
});

describe("a transport without an engine", () => {
  it("says UNIMPLEMENTED (HTTP 501) for every RPC it lacks, never a fake success", async () => {
    const bare = createServer({
      logger: createLogger({ destination: { write: () => {} } }),
      credentials: [testCredential],
      handlers: {},
    });
    const { url, port } = await bare.listen(0, "127.0.0.1");
    try {
      const rest = await fetch(`${url}/v3/GetBookingStatus`, {
        method: "POST",
        headers: { authorization: basicAuth(testCredential), "content-type": "application/json" },
        body: JSON.stringify({ booking_id: "x" }),
      });
      expect(rest.status).toBe(501);
      const body = (await rest.json()) as { error: { status: string } };
      expect(body.error.status).toBe("UNIMPLEMENTED");

      const grpc = createGrpcClient(`127.0.0.1:${port}`);
      const viaGrpc = await grpc.call("CreateBooking", {}, { authorization: basicAuth(testCredential) });
      grpc.close();
      expect(viaGrpc.error?.code).toBe(12);
    } finally {
      await bare.close();
    }
  });
});
