import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/booking/clock.js";
import { makeAvailability, makeFeed } from "../booking/feed-builders.js";
import { type EmbeddedPostgresServer, startEmbeddedPostgres } from "../support/postgres-global-setup.js";
import { openSqlProbe } from "../support/sql-probe.js";
import { testBackends } from "../support/test-database.js";
import { type ChildServer, killAllChildServers } from "./child-server.js";
import { type CreateAnswer, type ReplicaCaller, startReplicas } from "./replica-calls.js";
import { makeCreateBookingRequest, makeSlot } from "./request-builders.js";

const day = 86_400;

describe.skipIf(!testBackends.includes("postgres"))("replicas through a PostgreSQL outage", () => {
  let caller: ReplicaCaller | undefined;
  let ownServer: EmbeddedPostgresServer | undefined;
  afterEach(async () => {
    caller?.close();
    caller = undefined;
    await killAllChildServers();
    await ownServer?.stop();
    ownServer = undefined;
  });

  const start = Math.floor(systemClock.nowSec() / 3600) * 3600 + 2 * day;

  it("answer 503 with Retry-After while PostgreSQL is down, then book again without a restart", {
    timeout: 120_000,
  }, async () => {
    // A server of its own: stopping the run's server would take every other test file down with it.
    ownServer = await startEmbeddedPostgres();
    const server = ownServer;
    const started = await startReplicas(
      server.url,
      systemClock.nowSec(),
      makeFeed(
        Array.from({ length: 10 }, (_, i) =>
          makeAvailability({ start_sec: start + i * 3600, spots_total: 1000, spots_open: 1000 }),
        ),
      ),
    );
    const { replicas } = started;
    caller = started.caller;
    const client = started.caller;
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
          const answer = await client.create("rest", (id + turn) % 3, body);
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
        // A replica must outlive the outage; its stderr says why when it did not.
        expect(replica.child.exitCode, replica.stderr()).toBeNull();
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
      const replay = await client.create("rest", (index + 1) % 3, requests[index] as Record<string, unknown>);
      expect(replay.body).toBe(answer.body);
      expect(replay.replayed).toBe(true);
    }
    for (const [index] of byStatus(503)) {
      const retry = await client.create("rest", (index + 1) % 3, requests[index] as Record<string, unknown>);
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
