import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BookingEngine, createBookingEngine } from "../../src/booking/booking-engine.js";
import type { Clock } from "../../src/booking/clock.js";
import { importFeed } from "../../src/feed/import-feed.js";
import { createLedgerPaymentProcessor } from "../../src/payments/ledger-payment-processor.js";
import type { LedgerEntry, PaymentProcessor } from "../../src/payments/payment-processor.js";
import { testTokenDeclineRule } from "../../src/payments/test-token-decline-rule.js";
import { openDatabase, type SqliteDatabase } from "../../src/store/sqlite/open-database.js";
import { createPaymentLedgerTable } from "../../src/store/sqlite/payment-ledger-table.js";
import { createSqliteBookingStore, type SqliteBookingStore } from "../../src/store/sqlite/sqlite-booking-store.js";
import { testNowSec } from "./feed-builders.js";

/** A clock the test moves by hand. */
export interface TestClock extends Clock {
  set(sec: number): void;
  advance(sec: number): void;
}

/** A clock starting at `startSec` (testNowSec by default). */
export function createTestClock(startSec = testNowSec): TestClock {
  let now = startSec;
  return {
    nowSec: () => now,
    set: (sec) => {
      now = sec;
    },
    advance: (sec) => {
      now += sec;
    },
  };
}

/** A fresh database file in its own temp directory. */
export function createTempDbPath(): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "booking-test-"));
  return { path: join(dir, "booking.db"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** An engine over a real SQLite file loaded with a feed, and what tests need to look inside. */
export interface EngineFixture {
  engine: BookingEngine;
  db: SqliteDatabase;
  store: SqliteBookingStore;
  clock: TestClock;
  dbPath: string;
  ledger(): LedgerEntry[];
  importFeed(feed: object, policies?: object): ReturnType<typeof importFeed>;
  /** Inserts a busy interval as a manual block. */
  block(interval: {
    merchantId: string;
    kind: "merchant" | "staff" | "room";
    resourceId?: string;
    startSec: number;
    endSec: number;
  }): void;
  close(): Promise<void>;
}

/** Opens a fixture, importing `feed` (and `policies`) when given. */
export function openEngineFixture(
  options: { feed?: object; policies?: object; maxBatch?: number; payments?: PaymentProcessor } = {},
): EngineFixture {
  const temp = createTempDbPath();
  const db = openDatabase(temp.path);
  const clock = createTestClock();
  const store = createSqliteBookingStore(db, options.maxBatch ? { maxBatch: options.maxBatch } : {});
  const payments = options.payments ?? createLedgerPaymentProcessor({ declineRule: testTokenDeclineRule });
  const engine = createBookingEngine({ store, clock, payments });
  const ledgerTable = createPaymentLedgerTable(db);
  const fixture: EngineFixture = {
    engine,
    db,
    store,
    clock,
    dbPath: temp.path,
    ledger: () => ledgerTable.all(),
    importFeed: (feed, policies) =>
      importFeed(
        db,
        {
          feedFile: "feed.json",
          feedText: JSON.stringify(feed, null, 2),
          ...(policies ? { policiesFile: "policies.json", policiesText: JSON.stringify(policies, null, 2) } : {}),
        },
        { nowSec: clock.nowSec() },
      ),
    block: (b) => {
      db.prepare(
        `INSERT INTO busy_interval (merchant_id, resource_kind, resource_id, start_sec, end_sec, source, source_ref)
         VALUES (?, ?, ?, ?, ?, 'block', ?)`,
      ).run(b.merchantId, b.kind, b.resourceId ?? "", b.startSec, b.endSec, `test-${randomUUID()}`);
    },
    async close() {
      await store.queue.drain();
      db.close();
      temp.remove();
    },
  };
  if (options.feed) fixture.importFeed(options.feed, options.policies);
  return fixture;
}
