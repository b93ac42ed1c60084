import { openStorage } from "../../src/store/open-storage.js";
import type { Storage } from "../../src/store/storage.js";
import { createTestClock, importTestFeed } from "../booking/engine-fixture.js";
import { hoursFromNow, makeAvailability, makeFeed } from "../booking/feed-builders.js";
import { openSqlProbe } from "../support/sql-probe.js";
import { createTestDatabase, type TestBackend } from "../support/test-database.js";
import { startTestServer, type TestServer, type TestServerOptions } from "../support/test-server.js";

/** The whole app over the real booking engine and a fresh database (SQLite by default) with a small inventory. */
export interface EngineServer {
  server: TestServer;
  storage: Storage;
  /** Starts of the bookable slots of merchant m1, service s1 (5 spots each). */
  slotStarts: number[];
  /** Row count of every table, to prove a call changed nothing. */
  rowCounts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** Starts the app with the engine's handlers and HealthCheck probing the database. */
export async function startEngineServer(
  options: Omit<TestServerOptions, "handlers" | "storage"> & { backend?: TestBackend } = {},
): Promise<EngineServer> {
  const { backend = "sqlite", ...serverOptions } = options;
  const database = await createTestDatabase(backend);
  const clock = createTestClock();
  const storage = await openStorage(database.url);
  const slotStarts = [24, 25, 26].map(hoursFromNow);
  const feed = makeFeed(
    slotStarts.map((start) => makeAvailability({ start_sec: start, spots_total: 5, spots_open: 5 })),
  );
  await importTestFeed(storage, clock, feed);
  const server = await startTestServer({ ...serverOptions, storage, clock });
  const sql = openSqlProbe(database.url);
  const tables = (await sql.column(
    backend === "sqlite"
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
      : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  )) as string[];
  return {
    server,
    storage,
    slotStarts,
    async rowCounts() {
      const counts: Record<string, number> = {};
      for (const table of tables) counts[table] = (await sql.value(`SELECT COUNT(*) FROM "${table}"`)) as number;
      return counts;
    },
    async close() {
      await sql.close();
      await server.close();
      await database.remove();
    },
  };
}
