import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Storage } from "../storage.js";
import { createCalendarSqliteStore } from "./calendar-sqlite-store.js";
import { createConnectionGate, gatedCalls } from "./connection-gate.js";
import { openDatabase, type SynchronousMode } from "./open-database.js";
import { createPaymentLedgerTable } from "./payment-ledger-table.js";
import { reassignCallers } from "./reassign-callers.js";
import { createSqliteBookingStore } from "./sqlite-booking-store.js";
import { createSqliteInventoryStore } from "./sqlite-inventory-store.js";
import { createSqliteOutboxStore } from "./sqlite-outbox-store.js";

/** Options of the SQLite storage. */
export interface SqliteStorageOptions {
  /** FULL by default: an acknowledged booking survives a power loss. */
  synchronous?: SynchronousMode;
  /** Most writes per commit (group commit); 1 commits every write alone. 64 by default. */
  maxBatch?: number;
  /** How long a writer waits for another process's lock; 5000 ms by default. */
  busyTimeoutMs?: number;
  /** Bound of the availability cache, in slots and busy intervals; 200,000 by default, 0 for none. */
  readCacheSlots?: number;
  /** Bound of the listing cache, in bookings; 200,000 by default, 0 for none. */
  readCacheBookings?: number;
}

/**
 * Opens (creating and migrating) the SQLite file and every port over ONE connection: one gate
 * serializes the ports' transactions on it, one group-commit queue batches booking writes.
 *
 * It has no `rateLimits`: the server keeps its token buckets in memory. A SQLite file is served by one
 * process (two on one file is a same-host fallback, each with its own buckets), and taking a token in
 * the file would make every call, lookups included, a write transaction with an fsync queued behind the
 * bookings' group commits. The table exists only so both backends keep one schema.
 */
export function openSqliteStorage(path: string, options: SqliteStorageOptions = {}): Storage {
  mkdirSync(dirname(path), { recursive: true });
  const db = openDatabase(path, {
    ...(options.synchronous ? { synchronous: options.synchronous } : {}),
    ...(options.busyTimeoutMs ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
  });
  const gate = createConnectionGate();
  const guarded = gatedCalls(gate);
  const bookings = createSqliteBookingStore(
    db,
    {
      ...(options.maxBatch ? { maxBatch: options.maxBatch } : {}),
      ...(options.readCacheSlots === undefined ? {} : { availabilityCacheWeight: options.readCacheSlots }),
      ...(options.readCacheBookings === undefined ? {} : { userListingCacheWeight: options.readCacheBookings }),
    },
    gate,
  );
  const ledgerTable = createPaymentLedgerTable(db);
  const probe = db.prepare("SELECT COUNT(*) FROM schema_migration").pluck();
  const { outbox, audit } = createSqliteOutboxStore(db, gate);
  return {
    kind: "sqlite",
    bookings,
    outbox,
    audit,
    inventory: createSqliteInventoryStore(db, gate),
    calendar: createCalendarSqliteStore(db, gate),
    ledger: { entries: guarded(() => ledgerTable.all()) },
    reassignCallers: guarded((aggregators: ReadonlyMap<string, string>) => reassignCallers(db, aggregators)),
    readCaches() {
      const { buckets, ...availability } = bookings.availabilityCache.stats();
      const { users, ...listing } = bookings.userListingCache.stats();
      return [
        { cache: "availability", entries: buckets, ...availability },
        { cache: "user_listing", entries: users, ...listing },
      ];
    },
    writeBatches: () => bookings.queue.stats(),
    async health() {
      try {
        return await gate.exclusive(() => db.open && typeof probe.get() === "number");
      } catch {
        return false;
      }
    },
    async close() {
      await bookings.queue.drain();
      await gate.exclusive(() => {
        if (db.open) db.close();
      });
    },
  };
}
