import { create, fromJson, toBinary } from "@bufbuild/protobuf";
import { afterEach, describe, expect, it } from "vitest";
import { CreateBookingRequestSchema } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { makeAvailability, makeFeed } from "../booking/feed-builders.js";
import { type BookingServerFixture, startBookingServer } from "../support/booking-server.js";
import { createGrpcClient } from "../support/grpc-client.js";
import { testBackends } from "../support/test-database.js";
import { makeCreateBookingRequest } from "./request-builders.js";

describe.each(testBackends)("a replayed CreateBooking on every protocol (%s)", (backend) => {
  let fx: BookingServerFixture | undefined;
  afterEach(async () => {
    await fx?.close();
    fx = undefined;
  });

  it("sends the stored response bytes again, marked as replayed, on Connect binary, gRPC and REST", async () => {
    fx = await startBookingServer({ backend, feed: makeFeed([makeAvailability({ spots_total: 3, spots_open: 3 })]) });
    const server = fx;
    const body = makeCreateBookingRequest();
    const request = fromJson(CreateBookingRequestSchema, body as never);
    const connectBinary = () =>
      fetch(`${server.server.url}/booking.partner.v3.BookingService/CreateBooking`, {
        method: "POST",
        headers: { authorization: server.server.authHeader, "content-type": "application/proto" },
        body: toBinary(CreateBookingRequestSchema, create(CreateBookingRequestSchema, request)),
      });
    const first = await connectBinary();
    const firstBytes = Buffer.from(await first.arrayBuffer());
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const replay = await connectBinary();
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(Buffer.from(await replay.arrayBuffer())).toEqual(firstBytes);
    const stored = await server.sql.value("SELECT response FROM idempotency_record");
    expect(stored).toEqual(firstBytes);

    const grpc = createGrpcClient(`127.0.0.1:${server.server.port}`);
    try {
      const viaGrpc = await grpc.call("CreateBooking", body, { authorization: server.server.authHeader });
      expect(viaGrpc.error).toBeUndefined();
      expect(viaGrpc.headers?.get("idempotent-replayed")).toEqual(["true"]);
      const rest = await server.rest("CreateBooking", body);
      expect(rest.headers.get("idempotent-replayed")).toBe("true");
      expect(viaGrpc.response?.booking).toMatchObject({ booking_id: rest.json.booking.booking_id });
    } finally {
      grpc.close();
    }
    expect(await server.sql.value("SELECT COUNT(*) FROM booking")).toBe(1);
  });
});
