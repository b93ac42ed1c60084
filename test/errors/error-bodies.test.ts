import http2 from "node:http2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EngineServer, startEngineServer } from "../support/booking-server.js";
import { createGrpcClient, type GrpcBookingClient } from "../support/grpc-client.js";
import { decodeStatusDetails, grpcFrame, rawGrpcCall } from "../support/grpc-wire.js";
import { basicAuth, testCredential } from "../support/test-server.js";

// A Google-shaped CreateBooking (snake_case, int64 as strings) for slot `start`, with overrides.
const createBooking = (start: number, overrides: Record<string, unknown> = {}) => ({
  slot: { merchant_id: "m1", service_id: "s1", start_sec: String(start), duration_sec: "1800" },
  user_information: {
    user_id: "u-errors",
    given_name: "Jane",
    family_name: "Doe",
    telephone: "+1 415-736-0000",
    email: "jane@example.com",
  },
  idempotency_token: "token-errors-1",
  ...overrides,
});

describe("the exact error a client sees, on REST and gRPC", () => {
  let app: EngineServer;
  let grpc: GrpcBookingClient;
  beforeAll(async () => {
    app = await startEngineServer({ maxBodyBytes: 64 * 1024 });
    grpc = createGrpcClient(`127.0.0.1:${app.server.port}`);
  });
  afterAll(async () => {
    grpc.close();
    await app.close();
  });

  const post = async (path: string, body: string, authorization = app.server.authHeader) => {
    const res = await fetch(`${app.server.url}${path}`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body,
    });
    return { status: res.status, headers: res.headers, json: JSON.parse(await res.text()) as unknown };
  };
  const auth = { authorization: basicAuth(testCredential) };

  it("invalid fields: 400 INVALID_ARGUMENT naming each path, with ErrorInfo and BadRequest", async () => {
    const body = createBooking(app.slotStarts[0] ?? 0, {
      slot: { merchant_id: "m1", service_id: "s1", start_sec: String(app.slotStarts[0]), duration_sec: "0" },
    });
    (body.user_information as Record<string, string>).email = "jane.example.com";
    const rest = await post("/v3/CreateBooking", JSON.stringify(body));
    const duration = "is required and must be greater than 0";
    const email = "must be an e-mail address such as name@example.com";
    expect(rest.status).toBe(400);
    expect(rest.json).toEqual({
      error: {
        code: 400,
        message: `slot.duration_sec: ${duration}; user_information.email: ${email}`,
        status: "INVALID_ARGUMENT",
        errors: [
          {
            domain: "booking",
            reason: "invalidArgument",
            message: duration,
            location: "slot.duration_sec",
            locationType: "parameter",
          },
          {
            domain: "booking",
            reason: "invalidArgument",
            message: email,
            location: "user_information.email",
            locationType: "parameter",
          },
        ],
        details: [
          { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "INVALID_ARGUMENT", domain: "booking" },
          {
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            fieldViolations: [
              { field: "slot.duration_sec", description: duration },
              { field: "user_information.email", description: email },
            ],
          },
        ],
      },
    });

    const viaGrpc = await grpc.call("CreateBooking", body, auth);
    expect(viaGrpc.error?.code).toBe(3);
    const details = decodeStatusDetails(viaGrpc.error?.metadata.get("grpc-status-details-bin")[0] as Buffer);
    expect(details).toEqual({
      code: 3,
      message: `slot.duration_sec: ${duration}; user_information.email: ${email}`,
      errorInfo: { reason: "INVALID_ARGUMENT", domain: "booking", metadata: {} },
      violations: [
        { field: "slot.duration_sec", description: duration },
        { field: "user_information.email", description: email },
      ],
    });
  });

  it("a value of the wrong type: 400 naming its full path, on REST and Connect alike", async () => {
    const expected = {
      field: "slot.start_sec",
      description: "must be a 64-bit integer, as a number or a decimal string",
    };
    const rest = await post("/v3/CreateBooking", '{"slot":{"start_sec":"soon"}}');
    expect(rest.status).toBe(400);
    expect(rest.json).toMatchObject({
      error: {
        message: `${expected.field}: ${expected.description}`,
        errors: [{ location: expected.field, message: expected.description }],
      },
    });
    const connect = await post("/booking.partner.v3.BookingService/CreateBooking", '{"slot":{"start_sec":"soon"}}');
    expect(connect.status).toBe(400);
    expect(connect.json).toMatchObject({
      code: "invalid_argument",
      message: `${expected.field}: ${expected.description}`,
      details: [
        { type: "google.rpc.ErrorInfo", debug: { reason: "INVALID_ARGUMENT", domain: "booking" } },
        { type: "google.rpc.BadRequest", debug: { fieldViolations: [expected] } },
      ],
    });
  });

  it("bad credentials: 401 UNAUTHENTICATED with WWW-Authenticate, and gRPC status 16", async () => {
    const rest = await post("/v3/ListBookings", '{"user_id":"u"}', basicAuth("partner:wrong"));
    expect(rest.status).toBe(401);
    expect(rest.headers.get("www-authenticate")).toBe('Basic realm="booking-server", charset="UTF-8"');
    expect(rest.json).toEqual({
      error: {
        code: 401,
        message: "invalid credentials",
        status: "UNAUTHENTICATED",
        errors: [{ domain: "booking", reason: "credentialsInvalid", message: "invalid credentials" }],
        details: [
          { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "CREDENTIALS_INVALID", domain: "booking" },
        ],
      },
    });
    const viaGrpc = await grpc.call("ListBookings", { user_id: "u" }, { authorization: basicAuth("partner:wrong") });
    expect(viaGrpc.error?.code).toBe(16);
    expect(decodeStatusDetails(viaGrpc.error?.metadata.get("grpc-status-details-bin")[0] as Buffer)).toEqual({
      code: 16,
      message: "invalid credentials",
      errorInfo: { reason: "CREDENTIALS_INVALID", domain: "booking", metadata: {} },
      violations: [],
    });
  });

  it("unknown method: 404 NOT_FOUND on REST, and a gRPC UNIMPLEMENTED status with ErrorInfo", async () => {
    const rest = await post("/v3/CancelEverything", "{}");
    expect(rest.status).toBe(404);
    expect(rest.json).toEqual({
      error: {
        code: 404,
        message: "no method of the service at this path",
        status: "NOT_FOUND",
        errors: [{ domain: "booking", reason: "methodNotFound", message: "no method of the service at this path" }],
        details: [
          { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "METHOD_NOT_FOUND", domain: "booking" },
        ],
      },
    });
    const session = http2.connect(app.server.url);
    try {
      const answer = await rawGrpcCall(session, "CancelEverything", grpcFrame(new Uint8Array()), auth);
      expect(answer.httpStatus).toBe(200);
      expect(answer.grpcStatus).toBe(12);
      expect(answer.details).toEqual({
        code: 12,
        message: "no method of the service at this path",
        errorInfo: { reason: "NOT_IMPLEMENTED", domain: "booking", metadata: {} },
        violations: [],
      });
    } finally {
      session.close();
    }
  });

  it("body too large: 413 on REST, RESOURCE_EXHAUSTED with BODY_TOO_LARGE on gRPC, before any work", async () => {
    const before = await app.rowCounts();
    const huge = JSON.stringify(createBooking(app.slotStarts[0] ?? 0, { additional_request: "x".repeat(80_000) }));
    const rest = await post("/v3/CreateBooking", huge);
    expect(rest.status).toBe(413);
    const restMessage = `request body of ${Buffer.byteLength(huge)} bytes exceeds the limit of 65536 bytes`;
    expect(rest.json).toEqual({
      error: {
        code: 413,
        message: restMessage,
        status: "RESOURCE_EXHAUSTED",
        errors: [{ domain: "booking", reason: "bodyTooLarge", message: restMessage }],
        details: [{ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "BODY_TOO_LARGE", domain: "booking" }],
      },
    });
    const viaGrpc = await grpc.call("CreateBooking", JSON.parse(huge), auth);
    expect(viaGrpc.error?.code).toBe(8);
    expect(decodeStatusDetails(viaGrpc.error?.metadata.get("grpc-status-details-bin")[0] as Buffer)).toEqual({
      code: 8,
      message: "request body exceeds the limit of 65536 bytes",
      errorInfo: { reason: "BODY_TOO_LARGE", domain: "booking", metadata: { limit_bytes: "65536" } },
      violations: [],
    });
    expect(await app.rowCounts()).toEqual(before);
  });

  it("token reused for a different request: 400 IDEMPOTENCY_TOKEN_REUSED, nothing created", async () => {
    const [first, second] = app.slotStarts;
    const original = createBooking(first ?? 0, { idempotency_token: "token-reuse" });
    const booked = await post("/v3/CreateBooking", JSON.stringify(original));
    expect(booked.status).toBe(200);
    expect(booked.json).toMatchObject({ booking: { status: "CONFIRMED" } });
    const before = await app.rowCounts();
    const changed = createBooking(second ?? 0, { idempotency_token: "token-reuse" });
    const rest = await post("/v3/CreateBooking", JSON.stringify(changed));
    const message = "idempotency_token was already used for a different request";
    expect(rest.status).toBe(400);
    expect(rest.json).toEqual({
      error: {
        code: 400,
        message,
        status: "INVALID_ARGUMENT",
        errors: [{ domain: "booking", reason: "idempotencyTokenReused", message }],
        details: [
          {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            reason: "IDEMPOTENCY_TOKEN_REUSED",
            domain: "booking",
          },
        ],
      },
    });
    const viaGrpc = await grpc.call("CreateBooking", changed, auth);
    expect(viaGrpc.error?.code).toBe(3);
    expect(decodeStatusDetails(viaGrpc.error?.metadata.get("grpc-status-details-bin")[0] as Buffer)).toEqual({
      code: 3,
      message,
      errorInfo: { reason: "IDEMPOTENCY_TOKEN_REUSED", domain: "booking", metadata: {} },
      violations: [],
    });
    expect(await app.rowCounts()).toEqual(before);
  });
});
