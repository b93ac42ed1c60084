import { afterEach, describe, expect, it } from "vitest";
import { BookingError } from "../../src/booking/booking-error.js";
import { openStorage } from "../../src/store/open-storage.js";
import { appliedPostgresVersions, applyPostgresMigrations } from "../../src/store/postgres/apply-migrations.js";
import { postgresMigrations } from "../../src/store/postgres/migrations/index.js";
import { parsePostgresUrl, postgresDefaults } from "../../src/store/postgres/postgres-config.js";
import { createPostgresPool, type PostgresPool } from "../../src/store/postgres/postgres-pool.js";
import { openSqlProbe } from "../support/sql-probe.js";
import { createTestDatabase, type TestDatabase, testBackends } from "../support/test-database.js";

describe("PostgreSQL URL parameters", () => {
  it("reads the pool size, statement timeout, connect timeout and TLS mode from the query", () => {
    const { pool, settings } = parsePostgresUrl(
      "postgres://booker:p%40ss@db.internal:6543/bookings?pool_max=4&statement_timeout=250&connect_timeout=2&sslmode=require&application_name=replica-2",
    );
    expect(pool).toMatchObject({
      host: "db.internal",
      port: 6543,
      user: "booker",
      password: "p@ss",
      database: "bookings",
      max: 4,
      statement_timeout: 250,
      connectionTimeoutMillis: 2000,
      application_name: "replica-2",
      ssl: { rejectUnauthorized: false },
    });
    expect(settings).toMatchObject({ poolMax: 4, statementTimeoutMs: 250, connectTimeoutMs: 2000 });
  });

  it("uses the defaults and no TLS when the URL names only the server", () => {
    const { pool, settings } = parsePostgresUrl("postgresql://localhost/bookings");
    expect(settings).toEqual(postgresDefaults);
    expect(pool).toMatchObject({ host: "localhost", port: 5432, database: "bookings", max: 10 });
    expect(pool.ssl).toBeUndefined();
  });

  it("refuses unknown parameters, sslmodes it cannot honour and out-of-range numbers", () => {
    expect(() => parsePostgresUrl("postgres://h/db?poolmax=3")).toThrow(/unknown PostgreSQL URL parameter poolmax/);
    expect(() => parsePostgresUrl("postgres://h/db?sslmode=prefer")).toThrow(/sslmode=prefer is not supported/);
    expect(() => parsePostgresUrl("postgres://h/db?pool_max=0")).toThrow(/pool_max must be an integer >= 1/);
  });
});

describe("PostgreSQL errors become store errors", () => {
  it("answers STORE_UNAVAILABLE and an unhealthy probe when the server cannot be reached", async () => {
    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    const pool = createPostgresPool("postgres://nobody:secret@127.0.0.1:1/none?connect_timeout=2");
    try {
      const failure = await pool.transaction((sql) => sql.rows("SELECT 1")).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(BookingError);
      expect((failure as BookingError).code).toBe("STORE_UNAVAILABLE");
      expect(await pool.health()).toBe(false);
    } finally {
      await pool.end();
    }
  });
});

describe.skipIf(!testBackends.includes("postgres"))("PostgreSQL migrations and timeouts", () => {
  let database: TestDatabase | undefined;
  const pools: PostgresPool[] = [];
  afterEach(async () => {
    for (const pool of pools.splice(0)) await pool.end();
    await database?.remove();
    database = undefined;
  });
  const openPool = (url: string) => {
    const pool = createPostgresPool(url);
    pools.push(pool);
    return pool;
  };

  it("applies each migration exactly once when five replicas start on a fresh database at once", async () => {
    database = await createTestDatabase("postgres");
    const url = database.url;
    const runs = await Promise.all(
      Array.from({ length: 5 }, () => applyPostgresMigrations(openPool(url), postgresMigrations)),
    );
    const versions = postgresMigrations.map((m) => m.version);
    expect(runs.flat().sort()).toEqual(versions);
    expect(await appliedPostgresVersions(openPool(url))).toEqual(versions);
    expect(await applyPostgresMigrations(openPool(url), postgresMigrations)).toEqual([]);
  });

  it("turns a statement past statement_timeout into STORE_BUSY", async () => {
    database = await createTestDatabase("postgres");
    const pool = openPool(`${database.url}?statement_timeout=50`);
    const failure = await pool.transaction((sql) => sql.rows("SELECT pg_sleep(1)")).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BookingError);
    expect((failure as BookingError).code).toBe("STORE_BUSY");
    expect(await pool.health()).toBe(true);
  });

  it("hands each due calendar link to exactly one of several replicas claiming at once", async () => {
    database = await createTestDatabase("postgres");
    const url = database.url;
    const replicas = await Promise.all([0, 1, 2].map(() => openStorage(url)));
    try {
      const [first] = replicas;
      for (let i = 0; i < 12; i += 1) {
        await first?.calendar.saveLink(
          {
            merchantId: "m1",
            resourceKind: "staff",
            resourceId: `staff-${i}`,
            calendarId: `cal-${i}@example.com`,
            credentials: { kind: "oauth", clientId: "c", clientSecret: "s", refreshToken: "r", tokenUri: "http://t" },
          },
          1_000,
        );
      }
      const claims = await Promise.all(
        [...replicas, ...replicas].map((replica) => replica.calendar.claimDueLinks(2_000, 300, 4)),
      );
      const claimed = claims.flat().map((link) => link.linkId);
      expect(claimed).toHaveLength(12);
      expect(new Set(claimed).size).toBe(12);
      for (const batch of claims) {
        const due = batch.map((link) => link.state.nextAttemptSec);
        expect(due.every((sec) => sec === 1_000)).toBe(true);
      }
      expect(await first?.calendar.claimDueLinks(2_000, 300, 4)).toEqual([]);
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });

  it("has SQLite's tables, columns and named indexes (plus the row order SQLite's rowid gives, minus the versions of SQLite's availability and listing caches)", async () => {
    database = await createTestDatabase("postgres");
    const sqlite = await createTestDatabase("sqlite");
    const pgStorage = await openStorage(database.url);
    const sqliteStorage = await openStorage(sqlite.url);
    const onPostgres = openSqlProbe(database.url);
    const onSqlite = openSqlProbe(sqlite.url);
    try {
      const sqliteColumns = await onSqlite.column(
        `SELECT m.name || '.' || c.name FROM sqlite_master m, pragma_table_info(m.name) c
          WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT IN ('availability_version', 'user_listing_version')
          ORDER BY 1`,
      );
      const postgresColumns = await onPostgres.column(
        `SELECT table_name || '.' || column_name FROM information_schema.columns
          WHERE table_schema = 'public'`,
      );
      expect(postgresColumns.filter((name) => name !== "booking.created_seq").sort()).toEqual(sqliteColumns);
      const sqliteIndexes = await onSqlite.column(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name",
      );
      const postgresIndexes = await onPostgres.column(
        // Indexes that back a primary key or unique constraint are SQLite's autoindexes: not compared.
        `SELECT indexname FROM pg_indexes WHERE schemaname = 'public'
           AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))`,
      );
      expect(postgresIndexes.sort()).toEqual(sqliteIndexes);
    } finally {
      await onPostgres.close();
      await onSqlite.close();
      await pgStorage.close();
      await sqliteStorage.close();
      await sqlite.remove();
    }
  });
});
