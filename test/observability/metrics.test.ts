import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { hoursFromNow } from "../booking/feed-builders.js";
import { type EngineServer, startEngineServer } from "../support/booking-server.js";
import { createGrpcClient } from "../support/grpc-client.js";
import { sample } from "../support/prometheus-sample.js";
import { basicAuth, startTestServer, testCredential } from "../support/test-server.js";

const scraper = "prometheus:scrape-Pa55";
const flood = "flood:fl00d-Pa55";

describe("Prometheus metrics on /metrics", () => {
  let app: EngineServer;
  beforeAll(async () => {
    app = await startEngineServer({
      credentials: [testCredential, flood],
      metrics: { credentials: [scraper] },
      // Generous for the scripted calls of `partner`; `flood` spends its burst and is refused twice.
      rateLimit: { ratePerSec: 0.001, burst: 10 },
    });
  });
  afterAll(() => app.close());

  const scrape = (authorization?: string) =>
    fetch(`${app.server.url}/metrics`, { headers: authorization ? { authorization } : {} });
  const rest = (method: string, body: object, authorization = app.server.authHeader) =>
    fetch(`${app.server.url}/v3/${method}`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const booking = (token: string, start: number) => ({
    slot: { merchant_id: "m1", service_id: "s1", start_sec: String(start), duration_sec: "1800" },
    user_information: {
      user_id: `user-${token}`,
      given_name: "Grace",
      family_name: "Hopper",
      telephone: "+1 555-0100",
      email: "grace@example.com",
    },
    idempotency_token: token,
  });

  it("serves only the metrics credential: 401 without it or with an aggregator credential, 405 for POST", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape(app.server.authHeader)).status).toBe(401);
    const post = await fetch(`${app.server.url}/metrics`, {
      method: "POST",
      headers: { authorization: basicAuth(scraper) },
    });
    expect(post.status).toBe(405);
    const ok = await scrape(basicAuth(scraper));
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it("counts a scripted mix of calls by RPC, protocol and outcome", async () => {
    const [start] = app.slotStarts as [number];
    expect((await rest("CreateBooking", booking("m-1", start))).status).toBe(200);
    const replay = await rest("CreateBooking", booking("m-1", start));
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    const unavailable = (await (await rest("CreateBooking", booking("m-2", hoursFromNow(40)))).json()) as object;
    expect(unavailable).toMatchObject({ booking_failure: { cause: "SLOT_UNAVAILABLE" } });
    expect((await rest("CreateBooking", { idempotency_token: "m-3" })).status).toBe(400);
    expect((await rest("ListBookings", { user_id: "x" }, basicAuth("partner:nope"))).status).toBe(401);
    const connect = await fetch(`${app.server.url}/booking.partner.v3.BookingService/BatchAvailabilityLookup`, {
      method: "POST",
      headers: { authorization: app.server.authHeader, "content-type": "application/json" },
      body: JSON.stringify({ merchant_id: "m1", slot_time: [{ service_id: "s1", start_sec: String(start) }] }),
    });
    expect(connect.status).toBe(200);
    const grpc = createGrpcClient(`127.0.0.1:${app.server.port}`);
    expect(
      (await grpc.call("ListBookings", { user_id: "user-m-1" }, { authorization: app.server.authHeader })).error,
    ).toBeUndefined();
    grpc.close();
    const floods = await Promise.all(
      Array.from({ length: 12 }, () => rest("ListBookings", { user_id: "x" }, basicAuth(flood))),
    );
    expect(floods.filter((r) => r.status === 429)).toHaveLength(2);

    const text = await (await scrape(basicAuth(scraper))).text();
    const calls = (labels: Record<string, string>) => sample(text, "booking_server_calls_total", labels);
    expect(calls({ rpc: "CreateBooking", protocol: "rest", outcome: "ok" })).toBe(2);
    expect(calls({ rpc: "CreateBooking", protocol: "rest", outcome: "SLOT_UNAVAILABLE" })).toBe(1);
    expect(calls({ rpc: "CreateBooking", protocol: "rest", outcome: "INVALID_ARGUMENT" })).toBe(1);
    expect(calls({ rpc: "ListBookings", protocol: "rest", outcome: "CREDENTIALS_INVALID" })).toBe(1);
    expect(calls({ rpc: "BatchAvailabilityLookup", protocol: "connect", outcome: "ok" })).toBe(1);
    expect(calls({ rpc: "ListBookings", protocol: "grpc", outcome: "ok" })).toBe(1);
    expect(calls({ rpc: "ListBookings", protocol: "rest", outcome: "ok" })).toBe(10);
    expect(calls({ rpc: "ListBookings", protocol: "rest", outcome: "RATE_LIMITED" })).toBe(2);

    const outcomes = (cause: string) =>
      sample(text, "booking_server_booking_outcomes_total", { rpc: "CreateBooking", cause });
    expect([outcomes("ok"), outcomes("SLOT_UNAVAILABLE")]).toEqual([2, 1]);
    expect(sample(text, "booking_server_idempotent_replays_total")).toBe(1);
    expect(sample(text, "booking_server_rate_limited_total", { caller: "flood" })).toBe(2);
    expect(sample(text, "booking_server_rate_limited_total", { caller: "partner" })).toBe(0);

    const count = (outcome_class: string) =>
      sample(text, "booking_server_call_duration_seconds_count", {
        rpc: "CreateBooking",
        protocol: "rest",
        outcome_class,
      });
    expect([count("ok"), count("booking_failure"), count("client_error"), count("server_error")]).toEqual([2, 1, 1, 0]);
    expect(
      sample(text, "booking_server_call_duration_seconds_bucket", {
        le: "+Inf",
        rpc: "CreateBooking",
        protocol: "rest",
        outcome_class: "ok",
      }),
    ).toBe(2);
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
  });

  it("is not served at all when no metrics access is configured", async () => {
    const bare = await startTestServer();
    try {
      const res = await fetch(`${bare.url}/metrics`, { headers: { authorization: bare.authHeader } });
      expect(res.status).toBe(404);
    } finally {
      await bare.close();
    }
  });
  it("counts the write transactions and the bookings committed in them", async () => {
    const writing = await startEngineServer({ metrics: { credentials: [scraper] } });
    onTestFinished(() => writing.close());
    const [start] = writing.slotStarts as [number];
    const counters = async () => {
      const text = await (
        await fetch(`${writing.server.url}/metrics`, { headers: { authorization: basicAuth(scraper) } })
      ).text();
      return {
        transactions: sample(text, "booking_server_write_transactions_total") ?? 0,
        writes: sample(text, "booking_server_writes_total") ?? 0,
      };
    };
    const create = (token: string) =>
      fetch(`${writing.server.url}/v3/CreateBooking`, {
        method: "POST",
        headers: { authorization: writing.server.authHeader, "content-type": "application/json" },
        body: JSON.stringify(booking(token, start)),
      });
    const before = await counters();
    expect((await create("w-0")).status).toBe(200);
    const one = await counters();
    expect(one).toEqual({ transactions: before.transactions + 1, writes: before.writes + 1 });

    const answers = await Promise.all(["w-1", "w-2", "w-3", "w-4"].map(create));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    const after = await counters();
    expect(after.writes).toBe(one.writes + 4);
    // However the four arrived, they took between one and four commits.
    expect(after.transactions - one.transactions).toBeGreaterThanOrEqual(1);
    expect(after.transactions - one.transactions).toBeLessThanOrEqual(4);
  });

  it("reports the read caches: a repeated lookup and listing are hits, a change makes the next read a miss", async () => {
    const cached = await startEngineServer({ metrics: { credentials: [scraper] } });
    onTestFinished(() => cached.close());
    const [, start] = cached.slotStarts as [number, number];
    const rest = (method: string, body: object) =>
      fetch(`${cached.server.url}/v3/${method}`, {
        method: "POST",
        headers: { authorization: cached.server.authHeader, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const lookup = () =>
      rest("BatchAvailabilityLookup", {
        merchant_id: "m1",
        slot_time: [{ service_id: "s1", start_sec: String(start), duration_sec: "1800" }],
      });
    const counters = async () => {
      const res = await fetch(`${cached.server.url}/metrics`, { headers: { authorization: basicAuth(scraper) } });
      const text = await res.text();
      const of = (name: string, cache: string) => sample(text, `booking_server_read_cache_${name}`, { cache });
      return {
        availability: [of("hits_total", "availability"), of("misses_total", "availability")],
        listing: [of("hits_total", "user_listing"), of("misses_total", "user_listing")],
        entries: of("entries", "availability"),
        maxWeight: of("max_weight", "user_listing"),
      };
    };
    const before = await counters();
    for (let i = 0; i < 3; i++) expect((await lookup()).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await rest("ListBookings", { user_id: "cache-user" })).status).toBe(200);
    const warm = await counters();
    expect(warm.availability[0]).toBeGreaterThanOrEqual((before.availability[0] ?? 0) + 2);
    expect(warm.listing[0]).toBe((before.listing[0] ?? 0) + 1);
    expect(warm.listing[1]).toBe((before.listing[1] ?? 0) + 1);
    expect(warm.entries).toBeGreaterThan(0);
    expect(warm.maxWeight).toBe(200_000);

    // A booking in the slot changes its availability: the next lookup reads the database again.
    expect((await rest("CreateBooking", booking("cache-1", start))).status).toBe(200);
    expect((await lookup()).status).toBe(200);
    const after = await counters();
    expect(after.availability[1]).toBe((warm.availability[1] ?? 0) + 1);
    // Counters only grow from scrape to scrape.
    expect(after.availability[0]).toBeGreaterThanOrEqual(warm.availability[0] ?? 0);
  });
});
