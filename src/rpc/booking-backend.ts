import { type BookingEngine, createBookingEngine } from "../booking/booking-engine.js";
import { type Clock, systemClock } from "../booking/clock.js";
import { loadDemoInventory } from "../demo/demo-inventory.js";
import { createLedgerPaymentProcessor } from "../payments/ledger-payment-processor.js";
import type { PaymentProcessor } from "../payments/payment-processor.js";
import { testTokenDeclineRule } from "../payments/test-token-decline-rule.js";
import { openDatabase, type SqliteDatabase, type SynchronousMode } from "../store/sqlite/open-database.js";
import { type CallerReassignment, reassignCallers } from "../store/sqlite/reassign-callers.js";
import { createSqliteBookingStore } from "../store/sqlite/sqlite-booking-store.js";
import { createBookingHandlers } from "./booking-handlers.js";
import type { BookingServiceImpl } from "./booking-service-impl.js";

/** Options of the booking backend: the store, the clock and the payment processor. */
export interface BookingBackendOptions {
  /** SQLite file; created and migrated when missing. */
  dbPath: string;
  clock?: Clock;
  /** FULL by default: an acknowledged booking survives a power loss. */
  synchronous?: SynchronousMode;
  /** Most writes per commit (group commit); 1 commits every write alone. 64 by default. */
  maxBatch?: number;
  /** The built-in SQLite ledger (accepting `test:decline:<CAUSE>` tokens as declines) by default. */
  payments?: PaymentProcessor;
  /** Load the demo inventory when the database has no slots yet. */
  demo?: boolean;
  /**
   * Which aggregator each credential user acts for (`aggregatorsByUser` of the credential lines); a
   * user not named is its own aggregator. Rows a user wrote under its own name move to its aggregator.
   */
  aggregators?: ReadonlyMap<string, string>;
}

/** The booking side of a server: handlers for the transport, a health probe and an orderly close. */
export interface BookingBackend {
  engine: BookingEngine;
  db: SqliteDatabase;
  handlers: Omit<BookingServiceImpl, "healthCheck">;
  /** Users whose rows were moved to their aggregator at open (or are left there in conflict), for the log. */
  reassigned: CallerReassignment[];
  /** True when the database answers a query. */
  healthy(): boolean;
  /** Waits for queued writes to commit, then closes the database. */
  close(): Promise<void>;
}

/** Opens the database, builds store, payments and engine, and the RPC handlers over them. */
export function openBookingBackend(options: BookingBackendOptions): BookingBackend {
  const clock = options.clock ?? systemClock;
  const db = openDatabase(options.dbPath, options.synchronous ? { synchronous: options.synchronous } : {});
  if (options.demo) loadDemoInventory(db, clock);
  const aggregators = options.aggregators ?? new Map<string, string>();
  const reassigned = reassignCallers(db, aggregators);
  const store = createSqliteBookingStore(db, options.maxBatch ? { maxBatch: options.maxBatch } : {});
  const payments = options.payments ?? createLedgerPaymentProcessor({ declineRule: testTokenDeclineRule });
  const engine = createBookingEngine({ store, clock, payments });
  const probe = db.prepare("SELECT COUNT(*) FROM schema_migration").pluck();
  return {
    engine,
    db,
    handlers: createBookingHandlers({ engine, aggregators }),
    reassigned,
    healthy() {
      try {
        return db.open && typeof probe.get() === "number";
      } catch {
        return false;
      }
    },
    async close() {
      await store.queue.drain();
      if (db.open) db.close();
    },
  };
}
