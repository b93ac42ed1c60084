import { create } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BookingStatus } from "../../gen/booking/partner/v3/booking_pb.js";
import {
  type CreateBookingRequest,
  CreateBookingResponseSchema,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

describe("REST /v3 mapping", () => {
  let server: TestServer;
  const seen: CreateBookingRequest[] = [];

  beforeAll(async () => {
    server = await startTestServer({
      maxBodyBytes: 64 * 1024,
      handlers: {
        // Records what it parsed, so the test sees exactly what the gateway understood, and echoes the
        // slot's merchant and duration.
        createBooking: (req) => {
          seen.push(req);
          const slot = { merchantId: req.slot?.merchantId ?? "", durationSec: req.slot?.durationSec ?? 0n };
          return create(CreateBookingResponseSchema, {
            booking: { bookingId: "b1", slot, status: BookingStatus.CONFIRMED },
          });
        },
      },
    });
  });
  afterAll(() => server.close());

  // A request that passes validation; the tests vary the parts they are about.
  const slot = { merchant_id: "m", service_id: "s", start_sec: "1606467600", duration_sec: "1800" };
  const user = {
    user_id: "u",
    given_name: "Given",
    family_name: "Family",
    telephone: "+1 415-736-0000",
    email: "u@example.com",
  };
  const valid = JSON.stringify({ slot, user_information: user, idempotency_token: "t" });

  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { authorization: server.authHeader, "content-type": "application/json", ...headers },
      body,
    });

  it("matches paths case-insensitively, with or without a trailing slash", async () => {
    for (const path of ["/v3/CreateBooking", "/v3/createbooking", "/V3/CREATEBOOKING/", "/v3/CreateBooking/"]) {
      expect((await post(path, valid)).status, path).toBe(200);
    }
    const health = await fetch(`${server.url}/v3/healthcheck/`, { headers: { authorization: server.authHeader } });
    expect(health.status).toBe(200);
  });

  it("accepts snake_case and lowerCamelCase, int64 as string or number, and ignores unknown fields", async () => {
    seen.length = 0;
    await post(
      "/v3/CreateBooking",
      JSON.stringify({
        slot: { ...slot, merchant_id: "m", start_sec: "1606467600" },
        user_information: user,
        idempotency_token: "t0",
        x: 1,
      }),
    );
    await post(
      "/v3/CreateBooking",
      JSON.stringify({
        slot: { merchantId: "m", serviceId: "s", startSec: 1606467600, durationSec: 1800 },
        userInformation: {
          userId: "u",
          givenName: "G",
          familyName: "F",
          telephone: "+1 415-736-0000",
          email: "u@x.io",
        },
        idempotencyToken: "t",
      }),
    );
    expect(seen.map((r) => [r.slot?.merchantId, r.slot?.startSec])).toEqual([
      ["m", 1606467600n],
      ["m", 1606467600n],
    ]);
    expect(seen[1]?.idempotencyToken).toBe("t");
  });

  it("answers with proto field names, int64 as strings, enum names and no default-valued fields", async () => {
    const res = await post(
      "/v3/CreateBooking",
      JSON.stringify({
        slot: { ...slot, merchant_id: "m", duration_sec: 1800 },
        user_information: user,
        idempotency_token: "t",
      }),
    );
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.text()).toBe(
      '{"booking":{"booking_id":"b1","slot":{"merchant_id":"m","duration_sec":"1800"},"status":"CONFIRMED"}}',
    );
  });

  it("accepts application/json with a charset and a JSON body without Content-Type", async () => {
    expect((await post("/v3/CreateBooking", valid, { "content-type": "application/json; charset=utf-8" })).status).toBe(
      200,
    );
    const bare = await fetch(`${server.url}/v3/CreateBooking`, {
      method: "POST",
      headers: { authorization: server.authHeader },
      body: new Blob([valid]),
    });
    expect(bare.status).toBe(200);
  });

  it("answers malformed JSON, wrong types and non-objects with 400 and a JSON error naming the problem", async () => {
    for (const body of ["{not json", "[]", "null", '"x"', '{"slot":{"start_sec":"soon"}}', '{"slot":7}']) {
      const res = await post("/v3/CreateBooking", body);
      expect(res.status, body).toBe(400);
      const json = (await res.json()) as { error: { code: number; status: string; message: string } };
      expect(json.error.code).toBe(400);
      expect(json.error.status).toBe("INVALID_ARGUMENT");
      expect(json.error.message.length).toBeGreaterThan(5);
    }
    const wrongType = (await (await post("/v3/CreateBooking", '{"slot":{"start_sec":"soon"}}')).json()) as {
      error: { errors: { location: string }[] };
    };
    expect(wrongType.error.errors[0]?.location).toBe("slot.start_sec");
  });

  it("answers an unknown method with 404, a wrong verb with 405, a foreign media type with 415", async () => {
    const unknown = await post("/v3/Foo", "{}");
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { status: string } }).error.status).toBe("NOT_FOUND");

    const get = await fetch(`${server.url}/v3/CreateBooking`, { headers: { authorization: server.authHeader } });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(((await get.json()) as { error: { status: string } }).error.status).toBe("UNIMPLEMENTED");

    expect(
      (await post("/v3/CreateBooking", "a=b", { "content-type": "application/x-www-form-urlencoded" })).status,
    ).toBe(415);

    const root = await fetch(`${server.url}/nothing-here`);
    expect(root.status).toBe(404);
    expect(((await root.json()) as { error: { code: number } }).error.code).toBe(404);
  });

  it("refuses a body over the limit with 413 before the handler sees it, and keeps serving", async () => {
    seen.length = 0;
    const huge = JSON.stringify({ additional_request: "x".repeat(200 * 1024) });
    const res = await post("/v3/CreateBooking", huge);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { details: { reason: string }[] } }).error.details[0]?.reason).toBe(
      "BODY_TOO_LARGE",
    );
    expect(seen).toHaveLength(0);
    expect((await post("/v3/CreateBooking", valid)).status).toBe(200);
  });

  it("echoes the client's x-request-id, or makes one", async () => {
    const mine = await post("/v3/CreateBooking", valid, { "x-request-id": "req-123" });
    expect(mine.headers.get("x-request-id")).toBe("req-123");
    const made = await post("/v3/CreateBooking", valid);
    expect(made.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
