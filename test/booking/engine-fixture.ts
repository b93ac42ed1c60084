import { type AppPorts, openAppPorts } from "../../src/app.js";
import type { BookingEngine } from "../../src/booking/booking-engine.js";
import type { importFeed } from "../../src/feed/import-feed.js";
import type { LedgerEntry, PaymentProcessor } from "../../src/payments/payment-processor.js";
import { openStorage } from "../../src/store/open-storage.js";
import type { Storage } from "../../src/store/storage.js";
import { addTestBlock, importTestFeed, type TestBlock } from "../support/seed-storage.js";
import { openSqlProbe, type SqlProbe } from "../support/sql-probe.js";
import { createTestClock, type TestClock } from "../support/test-clock.js";
import { createTestDatabase, type TestBackend } from "../support/test-database.js";

/** An engine over a real, fresh database of one backend, loaded with a feed, and a way to look inside. */
export interface EngineFixture {
  engine: BookingEngine;
  storage: Storage;
  clock: TestClock;
  /** The `--db` value of the database. */
  url: string;
  sql: SqlProbe;
  ledger(): Promise<LedgerEntry[]>;
  importFeed(feed: object, policies?: object): ReturnType<typeof importFeed>;
  /** Adds a busy interval as a manual block. */
  block(interval: TestBlock): Promise<void>;
  close(): Promise<void>;
}

/** Options of an engine fixture. */
export interface EngineFixtureOptions {
  backend?: TestBackend;
  feed?: object;
  policies?: object;
  maxBatch?: number;
  payments?: PaymentProcessor;
}

/** Opens a fixture, importing `feed` (and `policies`) when given. */
export async function openEngineFixture(options: EngineFixtureOptions = {}): Promise<EngineFixture> {
  const database = await createTestDatabase(options.backend);
  const clock = createTestClock();
  const storage = await openStorage(database.url, options.maxBatch ? { maxBatch: options.maxBatch } : {});
  const ports: AppPorts = await openAppPorts({
    storage,
    clock,
    ...(options.payments ? { payments: options.payments } : {}),
  });
  const sql = openSqlProbe(database.url);
  const fixture: EngineFixture = {
    engine: ports.engine,
    storage,
    clock,
    url: database.url,
    sql,
    ledger: () => storage.ledger.entries(),
    importFeed: (feed, policies) => importTestFeed(storage, clock, feed, policies),
    block: (b) => addTestBlock(storage, clock, b),
    async close() {
      await sql.close();
      await ports.close();
      await database.remove();
    },
  };
  if (options.feed) await fixture.importFeed(options.feed, options.policies);
  return fixture;
}
