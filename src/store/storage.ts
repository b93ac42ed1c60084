import type { AuditLog } from "../booking/audit-log.js";
import type { BookingStore } from "../booking/booking-store.js";
import type { InventoryStore } from "../booking/inventory-store.js";
import type { NotificationOutbox } from "../booking/notification-outbox.js";
import type { CalendarStore } from "../calendar/calendar-store.js";
import type { RateLimitStore } from "../contract/rate-limit-store.js";
import type { ReadCacheStats } from "../contract/read-cache-stats.js";
import type { WriteBatchStats } from "../contract/write-batch-stats.js";
import type { PaymentLedgerReader } from "../payments/payment-processor.js";

/** What moving one credential user's rows to its aggregator did. */
export interface CallerReassignment {
  user: string;
  aggregator: string;
  /** Bookings moved from the user's name to the aggregator. */
  bookings: number;
  /** Idempotency records moved with them. */
  tokens: number;
  /** Records left under the user's name because the aggregator already holds the same token. */
  conflictingTokens: number;
}

/** Which implementation a Storage is. */
export type StorageKind = "sqlite" | "postgres";

/**
 * Every port over one database: what the composition root hands to the engine, the workers, the
 * server and the CLI commands. Nothing outside src/store sees a database handle.
 */
export interface Storage {
  readonly kind: StorageKind;
  readonly bookings: BookingStore;
  /** Feed import and export, the demo inventory, merchant and service policies. */
  readonly inventory: InventoryStore;
  /** Calendar links, their sync state and busy intervals, manual blocks. */
  readonly calendar: CalendarStore;
  readonly ledger: PaymentLedgerReader;
  /** Real-time updates to the aggregator, written with their changes, delivered by the notify worker. */
  readonly outbox: NotificationOutbox;
  /** Who changed which booking or slot; entries are written with their changes. */
  readonly audit: AuditLog;
  /**
   * The per-credential token buckets, when the database is shared by replicas (PostgreSQL): the limit
   * then holds for the cluster. Absent on SQLite, whose one server keeps its buckets in memory.
   */
  readonly rateLimits?: RateLimitStore;
  /**
   * Moves the rows each credential user wrote under its own name to its aggregator (user -> aggregator;
   * users that are their own aggregator are skipped), once, in one transaction; returns the users moved.
   */
  reassignCallers(aggregators: ReadonlyMap<string, string>): Promise<CallerReassignment[]>;
  /** The counters of the in-process read caches (SQLite's availability and listing caches); none on PostgreSQL. */
  readCaches(): ReadCacheStats[];
  /** What SQLite's group-commit queue has committed; undefined on PostgreSQL, where each write commits alone. */
  writeBatches(): WriteBatchStats | undefined;
  /** True when the database answers a query now. */
  health(): Promise<boolean>;
  /** Waits for queued writes to commit, then releases the database. */
  close(): Promise<void>;
}
