import { create } from "@bufbuild/protobuf";
import { ConnectError, createClient, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BatchAvailabilityLookupResponseSchema,
  BookingService,
  CreateBookingResponseSchema,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import { BadRequestSchema, ErrorInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { createGrpcClient } from "../support/grpc-client.js";
import { decodeStatusDetails } from "../support/grpc-wire.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

// Missing slot.service_id, a start before 2000, a 41-letter given name, no telephone, a bad e-mail
// and no idempotency token: six violations, one request.
const invalidCreate = {
  slot: { merchant_id: "m1", start_sec: "12", duration_sec: "1800" },
  user_information: { user_id: "u1", given_name: "G".repeat(41), family_name: "Doe", email: "nope" },
};
const expectedFields = [
  "slot.service_id",
  "slot.start_sec",
  "user_information.given_name",
  "user_information.telephone",
  "user_information.email",
  "idempotency_token",
];
const camel = {
  slot: { merchantId: "m1", startSec: 12n, durationSec: 1800n },
  userInformation: { userId: "u1", givenName: "G".repeat(41), familyName: "Doe", email: "nope" },
};
const lookup = (count: number) => ({
  merchantId: "m1",
  slotTime: Array.from({ length: count }, () => ({ serviceId: "s1", startSec: 1_900_000_000n })),
});

describe("field validation runs before the handler on every protocol", () => {
  let server: TestServer;
  let handlerRuns = 0;
  beforeAll(async () => {
    server = await startTestServer({
      validationLimits: { maxSlotTimes: 5 },
      handlers: {
        createBooking: () => {
          handlerRuns += 1;
          return create(CreateBookingResponseSchema, {});
        },
        batchAvailabilityLookup: () => {
          handlerRuns += 1;
          return create(BatchAvailabilityLookupResponseSchema, {});
        },
      },
    });
  });
  afterAll(() => server.close());

  const withAuth: Interceptor = (next) => (req) => {
    req.header.set("authorization", server.authHeader);
    return next(req);
  };
  const clients = () => ({
    connectJson: createClient(
      BookingService,
      createConnectTransport({ baseUrl: server.url, httpVersion: "1.1", interceptors: [withAuth] }),
    ),
    connectBinaryH2: createClient(
      BookingService,
      createConnectTransport({
        baseUrl: server.url,
        httpVersion: "2",
        useBinaryFormat: true,
        interceptors: [withAuth],
      }),
    ),
    grpcWeb: createClient(
      BookingService,
      createGrpcWebTransport({ baseUrl: server.url, httpVersion: "1.1", interceptors: [withAuth] }),
    ),
  });
  const violationsOf = (error: unknown) => {
    const e = ConnectError.from(error);
    return {
      reason: e.findDetails(ErrorInfoSchema)[0]?.reason,
      fields: e.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations.map((v) => v.field)),
    };
  };

  it("reports every violation by path, identically on REST, Connect, gRPC-Web and gRPC", async () => {
    const rest = await fetch(`${server.url}/v3/CreateBooking`, {
      method: "POST",
      headers: { authorization: server.authHeader, "content-type": "application/json" },
      body: JSON.stringify(invalidCreate),
    });
    expect(rest.status).toBe(400);
    const restBody = (await rest.json()) as { error: { errors: { location: string }[] } };
    expect(restBody.error.errors.map((e) => e.location)).toEqual(expectedFields);

    for (const [name, client] of Object.entries(clients())) {
      const error = await client.createBooking(camel).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(violationsOf(error), name).toEqual({ reason: "INVALID_ARGUMENT", fields: expectedFields });
    }

    const grpc = createGrpcClient(`127.0.0.1:${server.port}`);
    const viaGrpc = await grpc.call("CreateBooking", invalidCreate, { authorization: server.authHeader });
    grpc.close();
    expect(viaGrpc.error?.code).toBe(3);
    const details = decodeStatusDetails(viaGrpc.error?.metadata.get("grpc-status-details-bin")[0] as Buffer);
    expect(details.violations.map((v) => v.field)).toEqual(expectedFields);
    expect(handlerRuns).toBe(0);
  });

  it("refuses a lookup over the configured slot_time limit with TOO_MANY_SLOTS, and serves one at the limit", async () => {
    for (const [name, client] of Object.entries(clients())) {
      const error = await client.batchAvailabilityLookup(lookup(6)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(violationsOf(error), name).toEqual({ reason: "TOO_MANY_SLOTS", fields: ["slot_time"] });
      expect(ConnectError.from(error).rawMessage).toBe(
        "slot_time lists 6 slot times; at most 5 are accepted per request",
      );
    }
    const rest = await fetch(`${server.url}/v3/BatchAvailabilityLookup`, {
      method: "POST",
      headers: { authorization: server.authHeader, "content-type": "application/json" },
      body: JSON.stringify({
        merchant_id: "m1",
        slot_time: Array(6).fill({ service_id: "s1", start_sec: "1900000000" }),
      }),
    });
    expect(rest.status).toBe(400);
    expect(((await rest.json()) as { error: { details: { reason: string }[] } }).error.details[0]?.reason).toBe(
      "TOO_MANY_SLOTS",
    );
    expect(handlerRuns).toBe(0);
    await clients().connectJson.batchAvailabilityLookup(lookup(5));
    expect(handlerRuns).toBe(1);
  });
});
