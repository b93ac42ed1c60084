import { create, toJson } from "@bufbuild/protobuf";
import { CreateBookingRequestSchema } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { rpc } from "./booking-client.js";
import { createBookingRequest, listBookings, takeSpot } from "./booking-steps.js";
import type { Check } from "./check.js";
import { expectGoogleError, expectHttpStatus, expectOk, expectStatus, fail } from "./check-expect.js";

const healthCheck: Check = {
  name: "health-check",
  description: "HealthCheck answers 200 / OK.",
  needsFeed: false,
  async run(ctx) {
    expectOk(await ctx.client.call(rpc.healthCheck, {}), "HealthCheck");
  },
};

const badCredentials: Check = {
  name: "bad-credentials-401",
  description:
    "CreateBooking with wrong or missing credentials gets 401 (with WWW-Authenticate) / UNAUTHENTICATED and books nothing.",
  needsFeed: true,
  async run(ctx) {
    const slot = takeSpot(ctx, "the calls with bad credentials");
    const user = ctx.user("bad-credentials");
    const request = createBookingRequest(slot, user, ctx.token("bad-credentials"));
    const attempts: [string, string | null][] = [
      ["wrong credentials", `${ctx.credentials ?? "conformance:password"}-wrong`],
      ["no credentials", null],
    ];
    for (const [label, credentials] of attempts) {
      const what = `CreateBooking with ${label}`;
      if (ctx.protocol === "rest") {
        const json = toJson(CreateBookingRequestSchema, create(CreateBookingRequestSchema, request), {
          useProtoFieldName: true,
        });
        const response = await ctx.http.send({ method: "POST", path: "/v3/CreateBooking", json, credentials });
        ctx.ledger.recordJson(response.json);
        expectHttpStatus(response, 401, what, "HTTP 401 with a WWW-Authenticate header");
        if (!response.headers.get("www-authenticate")) {
          fail(
            `${what} answered 401 without a WWW-Authenticate header`,
            'HTTP 401 with WWW-Authenticate: Basic realm="..."',
            response.exchange,
          );
        }
      } else {
        expectStatus(await ctx.clientWith(credentials).call(rpc.createBooking, request), "UNAUTHENTICATED", what);
      }
    }
    const { bookings, outcome } = await listBookings(ctx, user.userId);
    if (bookings.length > 0) {
      fail(
        `calls refused for bad credentials still made ${bookings.length} bookings`,
        "nothing done for an unauthenticated call",
        outcome.exchange,
      );
    }
  },
};

const unknownMethod: Check = {
  name: "unknown-method-404",
  description: "REST: POST /v3/<unknown method> gets 404 with a JSON error body.",
  needsFeed: false,
  async run(ctx) {
    const response = await ctx.http.send({ method: "POST", path: "/v3/ConformanceNoSuchMethod", json: {} });
    expectGoogleError(response, 404, "NOT_FOUND", "POST /v3/ConformanceNoSuchMethod");
  },
};

const malformedJson: Check = {
  name: "malformed-json-400",
  description: "REST: a CreateBooking body that is not valid JSON gets 400 with a JSON error body.",
  needsFeed: false,
  async run(ctx) {
    const body = '{"slot": {"merchant_id": ';
    const response = await ctx.http.send({ method: "POST", path: "/v3/CreateBooking", body });
    ctx.ledger.recordJson(response.json);
    expectGoogleError(response, 400, "INVALID_ARGUMENT", "POST /v3/CreateBooking with a truncated JSON body");
  },
};

/** Checks of the transport surface: health, authentication, unknown paths, malformed bodies. */
export const transportChecks: readonly Check[] = [healthCheck, badCredentials, unknownMethod, malformedJson];
