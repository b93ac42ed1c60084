import { afterEach, describe, expect, it } from "vitest";
import { BookingError } from "../../src/booking/booking-error.js";
import { reasonOf } from "../../src/contract/errors.js";
import { createSharedRateLimiter } from "../../src/server/rate-limiter.js";
import { openStorage } from "../../src/store/open-storage.js";
import { createPostgresPool } from "../../src/store/postgres/postgres-pool.js";
import { createPostgresRateLimitStore } from "../../src/store/postgres/postgres-rate-limit-store.js";
import type { Storage } from "../../src/store/storage.js";
import { openSqlProbe, type SqlProbe } from "../support/sql-probe.js";
import { createTestDatabase, type TestDatabase, testBackends } from "../support/test-database.js";

describe("the shared rate limiter over an unusable database", () => {
  it("answers DATABASE_UNAVAILABLE with Retry-After instead of letting the call through", async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const pool = createPostgresPool("postgres://nobody:secret@127.0.0.1:1/none?connect_timeout=2");
    try {
      const store = createPostgresRateLimitStore(pool);
      const failure = await store.take("google", { ratePerSec: 1, burst: 1 }).catch((error: unknown) => error);
      expect((failure as BookingError).code).toBe("STORE_UNAVAILABLE");
      const limiter = createSharedRateLimiter(store, { ratePerSec: 1, burst: 1 });
      const refused = await limiter.take("google", "CreateBooking");
      expect(refused && reasonOf(refused)).toBe("DATABASE_UNAVAILABLE");
      expect(refused?.metadata.get("retry-after")).toBe("5");
      expect(await limiter.take("google", "HealthCheck")).toBeUndefined();
    } finally {
      await pool.end();
    }
  });

  it("passes anything but a store error on unchanged", async () => {
    const bug = new Error("not a store error");
    const limiter = createSharedRateLimiter({ take: () => Promise.reject(bug) }, { ratePerSec: 1, burst: 1 });
    await expect(limiter.take("google", "CreateBooking")).rejects.toBe(bug);
    const busy = createSharedRateLimiter(
      { take: () => Promise.reject(new BookingError("STORE_BUSY", "busy")) },
      { ratePerSec: 1, burst: 1 },
    );
    const refused = await busy.take("google", "CreateBooking");
    expect(refused && reasonOf(refused)).toBe("DATABASE_BUSY");
  });
});

describe.skipIf(!testBackends.includes("postgres"))("the token buckets in PostgreSQL", () => {
  let database: TestDatabase | undefined;
  let storage: Storage | undefined;
  let sql: SqlProbe | undefined;
  afterEach(async () => {
    await sql?.close();
    await storage?.close();
    await database?.remove();
    sql = storage = database = undefined;
  });

  const open = async () => {
    database = await createTestDatabase("postgres");
    storage = await openStorage(database.url);
    sql = openSqlProbe(database.url);
    const buckets = storage.rateLimits;
    if (!buckets) throw new Error("PostgreSQL storage has no rate limit store");
    return { buckets, sql };
  };
  /** Moves a bucket's last refill `sec` seconds into the past, as if that much time had gone by. */
  const age = (probe: SqlProbe, caller: string, sec: number) =>
    probe.run("UPDATE rate_limit_bucket SET refilled_at_sec = refilled_at_sec - ? WHERE caller = ?", [sec, caller]);

  it("grants the burst, refuses with the time until the next token, refills at the rate up to the burst", async () => {
    const { buckets, sql } = await open();
    const limit = { ratePerSec: 0.1, burst: 3 };
    const take = () => buckets.take("google", limit);
    /** Seconds to wait, within the refill of the (sub-second) time the calls themselves took. */
    const within = (wait: number, expected: number) => wait > expected - 0.1 && wait <= expected;
    expect([await take(), await take(), await take()]).toEqual([0, 0, 0]);
    // Empty: one token takes 1 / 0.1 = 10 s.
    expect(within(await take(), 10)).toBe(true);
    expect(within(await take(), 10)).toBe(true);
    // 15 s later: 1.5 tokens, one taken, half a token left, due in 5 s.
    await age(sql, "google", 15);
    expect(await take()).toBe(0);
    expect(within(await take(), 5)).toBe(true);
    // Long idle: never more than the burst.
    await age(sql, "google", 1000);
    expect([await take(), await take(), await take()]).toEqual([0, 0, 0]);
    expect(within(await take(), 10)).toBe(true);
    // Another caller has a bucket of its own.
    expect(await buckets.take("other", limit)).toBe(0);
  });

  it("takes exactly the burst when 50 calls of one caller race", async () => {
    const { buckets, sql } = await open();
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => buckets.take("google", { ratePerSec: 0.001, burst: 7 })),
    );
    expect(answers.filter((wait) => wait === 0)).toHaveLength(7);
    expect(answers.filter((wait) => wait > 990)).toHaveLength(43);
    expect(await sql.value("SELECT COUNT(*) FROM rate_limit_bucket")).toBe(1);
  });

  it("never counts time backwards when a refill time lies ahead of the database clock", async () => {
    const { buckets, sql } = await open();
    const limit = { ratePerSec: 1, burst: 2 };
    expect(await buckets.take("google", limit)).toBe(0);
    // As if a call holding the row lock had read the clock later than the next one did.
    await age(sql, "google", -60);
    expect(await buckets.take("google", limit)).toBe(0);
    expect(await buckets.take("google", limit)).toBeCloseTo(1, 1);
    expect(await sql.value("SELECT refilled_at_sec > extract(epoch FROM now()) + 50 FROM rate_limit_bucket")).toBe(
      true,
    );
  });
});
