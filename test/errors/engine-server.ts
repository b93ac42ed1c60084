import { importFeed } from "../../src/feed/import-feed.js";
import { type BookingBackend, openBookingBackend } from "../../src/rpc/booking-backend.js";
import { createHealthCheckHandler } from "../../src/rpc/health-check.js";
import { createTempDbPath, createTestClock } from "../booking/engine-fixture.js";
import { hoursFromNow, makeAvailability, makeFeed } from "../booking/feed-builders.js";
import { startTestServer, type TestServer, type TestServerOptions } from "../support/test-server.js";

/** The whole app over the real booking engine and a fresh SQLite file with a small inventory. */
export interface EngineServer {
  server: TestServer;
  backend: BookingBackend;
  /** Starts of the bookable slots of merchant m1, service s1 (5 spots each). */
  slotStarts: number[];
  /** Row count of every table, to prove a call changed nothing. */
  rowCounts(): Record<string, number>;
  close(): Promise<void>;
}

/** Starts the app with the engine's handlers and HealthCheck probing the database. */
export async function startEngineServer(options: Omit<TestServerOptions, "handlers"> = {}): Promise<EngineServer> {
  const temp = createTempDbPath();
  const clock = createTestClock();
  const backend = openBookingBackend({ dbPath: temp.path, clock });
  const slotStarts = [24, 25, 26].map(hoursFromNow);
  const feed = makeFeed(
    slotStarts.map((start) => makeAvailability({ start_sec: start, spots_total: 5, spots_open: 5 })),
  );
  importFeed(backend.db, { feedFile: "feed.json", feedText: JSON.stringify(feed) }, { nowSec: clock.nowSec() });
  const server = await startTestServer({
    ...options,
    handlers: { ...backend.handlers, healthCheck: createHealthCheckHandler(backend.healthy) },
  });
  const tables = backend.db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
  return {
    server,
    backend,
    slotStarts,
    rowCounts: () =>
      Object.fromEntries(
        tables.map((table) => [table, backend.db.prepare(`SELECT COUNT(*) FROM "${table}"`).pluck().get() as number]),
      ),
    async close() {
      await server.close();
      await backend.close();
      temp.remove();
    },
  };
}
