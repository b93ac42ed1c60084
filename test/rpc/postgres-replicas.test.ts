import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/booking/clock.js";
import { makeAvailability, makeFeed, makePolicies } from "../booking/feed-builders.js";
import { openSqlProbe } from "../support/sql-probe.js";
import { createTestDatabase, type TestDatabase, testBackends } from "../support/test-database.js";
import { type ChildServer, killAllChildServers, stopChildServer } from "./child-server.js";
import {
  type CreateAnswer,
  type Protocol,
  type ReplicaCaller,
  startReplicas as startReplicasOn,
} from "./replica-calls.js";
import { makeCreateBookingRequest, makeSlot } from "./request-builders.js";

const day = 86_400;
const protocols: readonly Protocol[] = ["rest", "connect", "grpc"];
const paidPolicies = makePolicies({
  services: [{ merchant_id: "m1", service_id: "paid", prepayment: { price_micros: 5_000_000, currency_code: "EUR" } }],
});

describe.skipIf(!testBackends.includes("postgres"))("three booking-server replicas on one PostgreSQL database", () => {
  let database: TestDatabase | undefined;
  let caller: ReplicaCaller | undefined;
  afterEach(async () => {
    caller?.close();
    caller = undefined;
    await killAllChildServers();
    await database?.remove();
    database = undefined;
  });

  const start = Math.floor(systemClock.nowSec() / 3600) * 3600 + 2 * day;
  /** A fresh database on the run's server, seeded, with three replicas on it. */
  const startReplicas = async (feed: object, policies?: object) => {
    database = await createTestDatabase("postgres");
    const url = database.url;
    const started = await startReplicasOn(url, systemClock.nowSec(), feed, policies);
    caller = started.caller;
    return { ...started, url };
  };

  it("book exactly spots_total of 200 concurrent requests for one slot", { timeout: 90_000 }, async () => {
    const spots = 7;
    const { caller, url } = await startReplicas(
      makeFeed([makeAvailability({ start_sec: start, spots_total: spots, spots_open: spots })]),
    );
    const body = () => makeCreateBookingRequest({ slot: makeSlot({ start_sec: String(start) }) });
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => caller.create(protocols[i % 3] as Protocol, i % 3, body())),
    );

    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const booked = answers.filter((a) => a.bookingId);
    expect(booked).toHaveLength(spots);
    expect(new Set(booked.map((a) => a.bookingId)).size).toBe(spots);
    const sql = openSqlProbe(url);
    try {
      expect(await sql.rows("SELECT spots_total, spots_booked FROM slot")).toEqual([
        { spots_total: spots, spots_booked: spots },
      ]);
      expect(await sql.value("SELECT COUNT(*) FROM booking")).toBe(spots);
    } finally {
      await sql.close();
    }
  });

  it("answer a 100-request same-token storm over REST, Connect and gRPC with one booking, one charge and identical bodies", {
    timeout: 90_000,
  }, async () => {
    const { caller, url } = await startReplicas(
      makeFeed([makeAvailability({ service_id: "paid", start_sec: start, spots_total: 10, spots_open: 10 })]),
      paidPolicies,
    );
    const request = makeCreateBookingRequest({ slot: makeSlot({ service_id: "paid", start_sec: String(start) }) });
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        caller.create(protocols[Math.floor(i / 3) % 3] as Protocol, i % 3, request),
      ),
    );

    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(new Set(answers.map((a) => a.bookingId)).size).toBe(1);
    for (const protocol of protocols) {
      const bodies = answers.filter((a) => a.protocol === protocol).map((a) => a.body);
      expect(bodies.length).toBeGreaterThanOrEqual(33);
      expect(new Set(bodies).size).toBe(1);
    }
    expect(answers.filter((a) => !a.replayed)).toHaveLength(1);
    const sql = openSqlProbe(url);
    try {
      const stored = (await sql.value("SELECT response FROM idempotency_record")) as Buffer;
      expect(answers.find((a) => a.protocol === "connect")?.body).toBe(stored.toString("hex"));
      expect(await sql.value("SELECT COUNT(*) FROM booking")).toBe(1);
      expect(await sql.rows("SELECT kind, amount_micros FROM payment_ledger")).toEqual([
        { kind: "charge", amount_micros: 5_000_000 },
      ]);
    } finally {
      await sql.close();
    }
  });

  it("keep every acknowledged booking, its exact answer and one charge when one replica is killed mid-storm", {
    timeout: 120_000,
  }, async () => {
    const slots = 20;
    const spots = 5;
    const { replicas, caller, url } = await startReplicas(
      makeFeed(
        Array.from({ length: slots }, (_, i) =>
          makeAvailability({ service_id: "paid", start_sec: start + i * 3600, spots_total: spots, spots_open: spots }),
        ),
      ),
      paidPolicies,
    );
    const requests = Array.from({ length: slots * spots * 3 }, (_, i) =>
      makeCreateBookingRequest({
        slot: makeSlot({ service_id: "paid", start_sec: String(start + (i % slots) * 3600) }),
      }),
    );
    const victim = replicas[0] as ChildServer;
    const acknowledged = new Map<number, CreateAnswer>();
    const unknown = new Set<number>();
    const refused: CreateAnswer[] = [];
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < requests.length) {
        const index = next++;
        let answer: CreateAnswer | undefined;
        try {
          answer = await caller.create("rest", index % 3, requests[index] as Record<string, unknown>);
        } catch {
          // The victim's connection dropped: the request may or may not have committed.
          unknown.add(index);
        }
        if (answer && answer.status !== 200) refused.push(answer);
        if (answer?.bookingId) acknowledged.set(index, answer);
        if (acknowledged.size >= 40 && !killed) {
          killed = true;
          victim.child.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: 12 }, worker));
    await victim.exited;
    expect(killed).toBe(true);
    expect(refused).toEqual([]);
    expect(unknown.size).toBeGreaterThan(0);

    // Replays and retries go to the survivors, alternating.
    let turn = 0;
    const survivor = () => 1 + (turn++ % 2);
    for (const [index, answer] of acknowledged) {
      const replay = await caller.create("rest", survivor(), requests[index] as Record<string, unknown>);
      expect(replay.body).toBe(answer.body);
      expect(replay.replayed).toBe(true);
    }
    for (const index of unknown) {
      const retry = await caller.create("rest", survivor(), requests[index] as Record<string, unknown>);
      expect(retry.status).toBe(200);
    }
    await Promise.all(replicas.slice(1).map(stopChildServer));

    const sql = openSqlProbe(url);
    try {
      const perSlot = (await sql.rows(
        `SELECT s.slot_id, s.spots_booked, COUNT(b.booking_id) AS bookings FROM slot s
           LEFT JOIN booking b ON b.slot_id = s.slot_id AND b.status = 'CONFIRMED' GROUP BY s.slot_id`,
      )) as { spots_booked: number; bookings: number }[];
      for (const slot of perSlot) {
        expect(slot.bookings).toBeLessThanOrEqual(spots);
        expect(slot.spots_booked).toBe(slot.bookings);
      }
      const charges = (await sql.rows(
        `SELECT b.booking_id, COUNT(l.entry_id) AS charges FROM booking b
           LEFT JOIN payment_ledger l ON l.booking_id = b.booking_id AND l.kind = 'charge' GROUP BY b.booking_id`,
      )) as { charges: number }[];
      expect(charges.length).toBeGreaterThanOrEqual(acknowledged.size);
      expect(charges.every((row) => row.charges === 1)).toBe(true);
      expect(await sql.value("SELECT COUNT(*) FROM payment_ledger")).toBe(charges.length);
    } finally {
      await sql.close();
    }
  });
});
