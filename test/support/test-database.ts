import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createTempDbPath } from "./temp-dir.js";

/** A storage backend the suites run against. */
export type TestBackend = "sqlite" | "postgres";

/**
 * The backends every parametrised suite runs against: both, unless BOOKING_TEST_BACKENDS names a subset
 * (e.g. `sqlite` on a machine that cannot run PostgreSQL).
 */
export const testBackends: readonly TestBackend[] = (process.env.BOOKING_TEST_BACKENDS ?? "sqlite,postgres")
  .split(",")
  .map((name) => name.trim())
  .filter((name): name is TestBackend => name === "sqlite" || name === "postgres");

/** A fresh, empty database: its `--db` value, and how to throw it away. */
export interface TestDatabase {
  backend: TestBackend;
  url: string;
  remove(): Promise<void>;
}

/**
 * A fresh database of the backend: a file in its own temp directory, or a new database on the test
 * run's PostgreSQL server (started by test/support/postgres-global-setup.ts or given by
 * BOOKING_TEST_POSTGRES_URL).
 */
export async function createTestDatabase(backend: TestBackend = "sqlite"): Promise<TestDatabase> {
  if (backend === "sqlite") {
    const file = createTempDbPath();
    return { backend, url: file.path, remove: async () => file.remove() };
  }
  const adminUrl = inject("postgresAdminUrl");
  if (!adminUrl) throw new Error("no PostgreSQL for this test run (see test/support/postgres-global-setup.ts)");
  const name = `booking_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    backend,
    url: url.toString(),
    remove: () => withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function withAdmin(adminUrl: string, run: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await run(client);
  } finally {
    await client.end();
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    /** A superuser URL of the run's PostgreSQL server; empty when PostgreSQL is not part of the run. */
    postgresAdminUrl: string;
  }
}
