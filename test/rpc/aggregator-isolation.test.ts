import { create, fromJson, toBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateBookingRequestSchema } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { hoursFromNow, makeAvailability, makeFeed, makePolicies } from "../booking/feed-builders.js";
import { type BookingServerFixture, postJson, type RestAnswer, startBookingServer } from "../support/booking-server.js";
import { createGrpcClient, type GrpcBookingClient, type GrpcResult } from "../support/grpc-client.js";
import { testBackends } from "../support/test-database.js";
import { basicAuthOfLine } from "../support/test-server.js";
import { makeCreateBookingRequest, makeSlot } from "./request-builders.js";

const t = hoursFromNow(48);
// Aggregator alpha has two credential lines (a password rotation in progress); beta has one.
const alphaCurrent = "[alpha] alpha-2026a:first-Pa55";
const alphaNext = "[alpha] alpha-2026b:second Pa55:with a colon";
const beta = "[beta] beta-main:beta-Pa55";
const as = {
  alpha: basicAuthOfLine(alphaCurrent),
  alphaNext: basicAuthOfLine(alphaNext),
  beta: basicAuthOfLine(beta),
};
/** A complete user_information for `user_id`. */
const person = (user_id: string) => ({
  user_id,
  given_name: "Ada",
  family_name: "Lovelace",
  telephone: "+1 555-0101",
  email: "ada@example.com",
});
// As long as a real booking id (80 random bits in hex), so the answers can be compared whole.
const unknownId = "0123456789abcdef0123";

describe.each(testBackends)("credentials are isolated per aggregator (%s)", (backend) => {
  let fx: BookingServerFixture;
  let grpc: GrpcBookingClient;

  beforeAll(async () => {
    fx = await startBookingServer({
      backend,
      credentials: [alphaCurrent, alphaNext, beta],
      feed: makeFeed([
        makeAvailability({ start_sec: t, spots_total: 10, spots_open: 10 }),
        makeAvailability({ start_sec: t + 3600, spots_total: 10, spots_open: 10 }),
        ...[t, t + 86_400].map((start_sec) =>
          makeAvailability({ merchant_id: "limited", service_id: "dinner", start_sec, spots_total: 5, spots_open: 5 }),
        ),
        ...[
          { start_sec: t, resources: { staff_id: "ann" } },
          { start_sec: t + 900, resources: { staff_id: "bob" } },
        ].map((at) =>
          makeAvailability({ merchant_id: "strict", service_id: "cut", spots_total: 5, spots_open: 5, ...at }),
        ),
      ]),
      policies: makePolicies({
        merchants: [
          { merchant_id: "limited", max_active_bookings_per_user: 1 },
          { merchant_id: "strict", forbid_overlapping: true },
        ],
      }),
    });
    grpc = createGrpcClient(`127.0.0.1:${fx.server.port}`);
  });
  afterAll(async () => {
    grpc.close();
    await fx.close();
  });

  const rest = (authorization: string, method: string, body: object): Promise<RestAnswer> =>
    postJson(fx.server.url, authorization, method, body);
  const count = async (): Promise<number> => (await fx.sql.value("SELECT COUNT(*) FROM booking")) as number;
  const row = async (bookingId: string): Promise<unknown> =>
    (await fx.sql.rows("SELECT * FROM booking WHERE booking_id = ?", [bookingId]))[0];
  const bookAs = async (authorization: string, overrides: Record<string, unknown> = {}): Promise<string> => {
    const request = makeCreateBookingRequest({ slot: makeSlot({ start_sec: String(t) }), ...overrides });
    const answer = await rest(authorization, "CreateBooking", request);
    expect(answer.json.booking, answer.text).toBeDefined();
    return answer.json.booking.booking_id as string;
  };
  /** The same REST call with the same request id, so two answers can be compared byte for byte. */
  const probe = async (authorization: string, method: string, body: object) => {
    const response = await fetch(`${fx.server.url}/v3/${method}`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json", "x-request-id": "isolation-probe" },
      body: JSON.stringify(body),
    });
    return { status: response.status, text: await response.text() };
  };
  const sameAsUnknown = (answer: { text: string }, bookingId: string) => ({
    ...answer,
    text: answer.text.replaceAll(bookingId, unknownId),
  });

  it("answers aggregator beta's REST GetBookingStatus, ListBookings and cancel of alpha's booking exactly as for an unknown booking, changing nothing", async () => {
    const userId = "rest-user";
    const bookingId = await bookAs(as.alpha, {
      user_information: person(userId),
    });
    const before = await row(bookingId);
    const calls: [string, (id: string) => object][] = [
      ["GetBookingStatus", (id) => ({ booking_id: id })],
      ["UpdateBooking", (id) => ({ booking: { booking_id: id, status: "CANCELED" } })],
    ];
    for (const [method, body] of calls) {
      const foreign = await probe(as.beta, method, body(bookingId));
      const unknown = await probe(as.beta, method, body(unknownId));
      expect(unknown.status).toBe(400);
      expect(sameAsUnknown(foreign, bookingId)).toEqual(unknown);
    }
    const listed = await probe(as.beta, "ListBookings", { user_id: userId });
    expect(listed).toEqual(await probe(as.beta, "ListBookings", { user_id: "nobody-at-all" }));
    expect(listed.text).toBe("{}");

    expect(await row(bookingId)).toEqual(before);
    const status = await rest(as.alpha, "GetBookingStatus", { booking_id: bookingId });
    expect(status.json.booking_status).toBe("CONFIRMED");
    const own = await rest(as.alpha, "ListBookings", { user_id: userId });
    expect(own.json.bookings.map((b: { booking_id: string }) => b.booking_id)).toEqual([bookingId]);
  });

  it("answers aggregator beta's gRPC GetBookingStatus, ListBookings and cancel of alpha's booking exactly as for an unknown booking, changing nothing", async () => {
    const userId = "grpc-user";
    const bookingId = await bookAs(as.alpha, { user_information: person(userId) });
    const before = await row(bookingId);
    const metadata = { authorization: as.beta, "x-request-id": "isolation-probe" };
    const answerOf = (result: GrpcResult, id: string) => ({
      response: result.response,
      code: result.error?.code,
      details: result.error?.details.replaceAll(id, unknownId),
      statusDetails: Buffer.concat((result.error?.metadata.get("grpc-status-details-bin") ?? []) as Buffer[])
        .toString("latin1")
        .replaceAll(id, unknownId),
    });
    for (const [method, body] of [
      ["GetBookingStatus", (id: string) => ({ booking_id: id })],
      ["UpdateBooking", (id: string) => ({ booking: { booking_id: id, status: "CANCELED" } })],
    ] as const) {
      const foreign = await grpc.call(method, body(bookingId), metadata);
      const unknown = await grpc.call(method, body(unknownId), metadata);
      expect(unknown.error?.code).toBe(3);
      expect(answerOf(foreign, bookingId)).toEqual(answerOf(unknown, unknownId));
    }
    const listed = await grpc.call("ListBookings", { user_id: userId }, metadata);
    expect(listed.error).toBeUndefined();
    expect(listed.response).toEqual((await grpc.call("ListBookings", { user_id: "nobody-at-all" }, metadata)).response);
    expect(listed.response?.bookings ?? []).toEqual([]);

    expect(await row(bookingId)).toEqual(before);
    const own = await grpc.call("GetBookingStatus", { booking_id: bookingId }, { authorization: as.alpha });
    expect(own.response).toMatchObject({ booking_id: bookingId, booking_status: "CONFIRMED" });
  });

  it("treats one user_id under two aggregators as two people: per-user rules and listings count only the aggregator's own bookings", async () => {
    const user = person("same-user-id");
    const slot = (merchant_id: string, service_id: string, start: number, staff_id = "") =>
      makeSlot({ merchant_id, service_id, start_sec: String(start), ...(staff_id ? { resources: { staff_id } } : {}) });
    const alphaIds = [
      await bookAs(as.alpha, { user_information: user, slot: slot("m1", "s1", t) }),
      await bookAs(as.alpha, { user_information: user, slot: slot("limited", "dinner", t) }),
      await bookAs(as.alpha, { user_information: user, slot: slot("strict", "cut", t, "ann") }),
    ];
    // Each of these would be refused for alpha's user (slot held, limit of 1, overlap), but this is beta's.
    const betaIds = [
      await bookAs(as.beta, { user_information: user, slot: slot("m1", "s1", t) }),
      await bookAs(as.beta, { user_information: user, slot: slot("limited", "dinner", t + 86_400) }),
      await bookAs(as.beta, { user_information: user, slot: slot("strict", "cut", t + 900, "bob") }),
    ];
    const causeFor = async (authorization: string, request: Record<string, unknown>) =>
      (await rest(authorization, "CreateBooking", makeCreateBookingRequest({ user_information: user, ...request })))
        .json.booking_failure?.cause;
    // The rules still hold inside one aggregator, whichever of its credentials calls.
    expect(await causeFor(as.alphaNext, { slot: slot("m1", "s1", t) })).toBe("SLOT_ALREADY_BOOKED_BY_USER");
    expect(await causeFor(as.alphaNext, { slot: slot("limited", "dinner", t + 86_400) })).toBe(
      "USER_OVER_BOOKING_LIMIT",
    );
    expect(await causeFor(as.alphaNext, { slot: slot("strict", "cut", t + 900, "bob") })).toBe(
      "OVERLAPPING_RESERVATION",
    );
    expect(await causeFor(as.beta, { slot: slot("m1", "s1", t) })).toBe("SLOT_ALREADY_BOOKED_BY_USER");
    expect(await causeFor(as.beta, { slot: slot("limited", "dinner", t) })).toBe("USER_OVER_BOOKING_LIMIT");
    expect(await causeFor(as.beta, { slot: slot("strict", "cut", t, "ann") })).toBe("OVERLAPPING_RESERVATION");

    const listed = async (authorization: string) =>
      (await rest(authorization, "ListBookings", { user_id: user.user_id })).json.bookings.map(
        (b: { booking_id: string }) => b.booking_id,
      );
    expect(await listed(as.alpha)).toEqual(alphaIds);
    expect(await listed(as.alphaNext)).toEqual(alphaIds);
    expect(await listed(as.beta)).toEqual(betaIds);
  });

  it("replays a CreateBooking retried with the aggregator's next credential byte for byte, on REST, Connect and gRPC", async () => {
    const body = makeCreateBookingRequest({ slot: makeSlot({ start_sec: String(t + 3600) }) });
    const first = await rest(as.alpha, "CreateBooking", body);
    expect(first.json.booking).toBeDefined();
    const before = await count();
    const retried = await rest(as.alphaNext, "CreateBooking", body);
    expect(retried.headers.get("idempotent-replayed")).toBe("true");
    expect(retried.text).toBe(first.text);

    const stored = await fx.sql.value("SELECT response FROM idempotency_record WHERE booking_id = ?", [
      first.json.booking.booking_id,
    ]);
    const connect = await fetch(`${fx.server.url}/booking.partner.v3.BookingService/CreateBooking`, {
      method: "POST",
      headers: { authorization: as.alphaNext, "content-type": "application/proto" },
      body: toBinary(
        CreateBookingRequestSchema,
        create(CreateBookingRequestSchema, fromJson(CreateBookingRequestSchema, body as never)),
      ),
    });
    expect(connect.headers.get("idempotent-replayed")).toBe("true");
    expect(Buffer.from(await connect.arrayBuffer())).toEqual(stored);

    const viaGrpc = await grpc.call("CreateBooking", body, { authorization: as.alphaNext });
    expect(viaGrpc.headers?.get("idempotent-replayed")).toEqual(["true"]);
    expect(viaGrpc.response?.booking).toMatchObject({ booking_id: first.json.booking.booking_id });
    expect(await count()).toBe(before);
  });

  it("books twice for the same idempotency token and request under two aggregators", async () => {
    const body = makeCreateBookingRequest({ slot: makeSlot({ start_sec: String(t + 3600) }) });
    const before = await count();
    const alpha = await rest(as.alpha, "CreateBooking", body);
    const betaAnswer = await rest(as.beta, "CreateBooking", body);
    expect(betaAnswer.headers.get("idempotent-replayed")).toBeNull();
    expect(alpha.json.booking.booking_id).toBeDefined();
    expect(betaAnswer.json.booking.booking_id).toBeDefined();
    expect(betaAnswer.json.booking.booking_id).not.toBe(alpha.json.booking.booking_id);
    expect(await count()).toBe(before + 2);
    // Each aggregator's retry replays its own booking.
    expect((await rest(as.beta, "CreateBooking", body)).text).toBe(betaAnswer.text);
    expect((await rest(as.alphaNext, "CreateBooking", body)).text).toBe(alpha.text);
  });
});
