import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/booking/clock.js";
import { makeAvailability, makeFeed, makePolicies } from "../booking/feed-builders.js";
import { type EmbeddedPostgresServer, startEmbeddedPostgres } from "../support/postgres-global-setup.js";
import { openSqlProbe } from "../support/sql-probe.js";
import { createTestDatabase, type TestDatabase, testBackends } from "../support/test-database.js";
import { type ChildServer, killAllChildServers, spawnChildServer, stopChildServer } from "./child-server.js";
import {
  type CreateAnswer,
  createReplicaCaller,
  type Protocol,
  type ReplicaCaller,
  seedDatabase,
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
  let ownServer: EmbeddedPostgresServer | undefined;
  afterEach(async () => {
    caller?.close();
    caller = undefined;
    await killAllChildServers();
    await database?.remove();
    database = undefined;
    await ownServer?.stop();
    ownServer = undefined;
  });

  const start = Math.floor(systemClock.nowSec() / 3600) * 3600 + 2 * day;
  /** Seeds the database (a fresh one on the run's server unless `url` is given) and starts three replicas on it. */
  const startReplicas = async (feed: object, policies?: object, url?: string) => {
    if (!url) database = await createTestDatabase("postgres");
    const db = url ?? (database as TestDatabase).url;
    await seedDatabase(db, systemClock.nowSec(), feed, policies);
    return startReplicasOn(db);
  };
  const startReplicasOn = async (url: string) => {
    const replicas = await Promise.all([0, 1, 2].map(() => spawnChildServer(url)));
    caller = createReplicaCaller(replicas);
    return { replicas, caller, url };
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

  it("answer 503 with Retry-After while PostgreSQL is down, then book again without a restart", {
    timeout: 120_000,
  }, async () => {
    // A server of its own: stopping the run's server would take every other test file down with it.
    ownServer = await startEmbeddedPostgres();
    const server = ownServer;
    const { replicas, caller } = await startReplicas(
      makeFeed(
        Array.from({ length: 10 }, (_, i) =>
          makeAvailability({ start_sec: start + i * 3600, spots_total: 1000, spots_open: 1000 }),
        ),
      ),
      undefined,
      server.url,
    );
    const requests: Record<string, unknown>[] = [];
    const answers = new Map<number, CreateAnswer>();
    const unreachable: number[] = [];
    let phase: "before" | "down" | "after" = "before";
    const seen = { before: 0, down: 0, after: 0 };
    let stop = false;
    const worker = async (id: number) => {
      for (let turn = 0; !stop && requests.length < 5_000; turn += 1) {
        const index = requests.length;
        const body = makeCreateBookingRequest({ slot: makeSlot({ start_sec: String(start + (index % 10) * 3600) }) });
        requests.push(body);
        const during = phase;
        try {
          const answer = await caller.create("rest", (id + turn) % 3, body);
          answers.set(index, answer);
          if (phase === during && (during === "down" ? answer.status === 503 : answer.status === 200))
            seen[during] += 1;
        } catch {
          unreachable.push(index);
        }
        // Paced, so the outage does not burn through the request budget in a moment.
        await sleep(20);
      }
    };
    const workers = Promise.all(Array.from({ length: 6 }, (_, id) => worker(id)));
    try {
      await until(() => seen.before >= 20, 30_000);
      await server.pause();
      phase = "down";
      await until(() => seen.down >= 20, 30_000);
      for (const replica of replicas) {
        const health = await healthCheck(replica);
        expect(health.status).toBe(503);
        expect(health.retryAfter).toBe("5");
      }
      await server.resume();
      phase = "after";
      await until(() => seen.after >= 20, 60_000);
    } finally {
      stop = true;
      await workers;
    }

    expect(unreachable).toEqual([]);
    const byStatus = (status: number) => [...answers].filter(([, a]) => a.status === status);
    expect(byStatus(200).length + byStatus(503).length).toBe(answers.size);
    for (const [, answer] of byStatus(503)) {
      expect(answer.retryAfter).toBe("5");
      expect(JSON.parse(answer.body).error.details[0].reason).toBe("DATABASE_UNAVAILABLE");
    }
    for (const replica of replicas) expect((await healthCheck(replica)).status).toBe(200);
    // What was acknowledged before, during and after the outage is there; what was refused books now.
    for (const [index, answer] of byStatus(200)) {
      const replay = await caller.create("rest", (index + 1) % 3, requests[index] as Record<string, unknown>);
      expect(replay.body).toBe(answer.body);
      expect(replay.replayed).toBe(true);
    }
    for (const [index] of byStatus(503)) {
      const retry = await caller.create("rest", (index + 1) % 3, requests[index] as Record<string, unknown>);
      expect(retry.status).toBe(200);
      expect(retry.bookingId).toBeDefined();
    }
    const sql = openSqlProbe(server.url);
    try {
      expect(await sql.value("SELECT COUNT(*) FROM booking")).toBe(answers.size);
      expect(await sql.value("SELECT SUM(spots_booked) FROM slot")).toBe(answers.size);
    } finally {
      await sql.close();
    }
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds, checking every 50 ms; fails after `limitMs`. */
async function until(condition: () => boolean, limitMs: number): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited >= limitMs) throw new Error(`condition not met within ${limitMs} ms`);
    await sleep(50);
  }
}

async function healthCheck(replica: ChildServer): Promise<{ status: number; retryAfter: string | null }> {
  const response = await fetch(`${replica.url}/v3/HealthCheck`, { headers: { authorization: replica.authHeader } });
  await response.arrayBuffer();
  return { status: response.status, retryAfter: response.headers.get("retry-after") };
}
