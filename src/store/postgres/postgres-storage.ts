import type { Storage } from "../storage.js";
import { applyPostgresMigrations } from "./apply-migrations.js";
import { createCalendarPostgresStore } from "./calendar-postgres-store.js";
import { postgresMigrations } from "./migrations/index.js";
import { allLedgerEntries } from "./payment-ledger-queries.js";
import { createPostgresBookingStore } from "./postgres-booking-store.js";
import { createPostgresInventoryStore } from "./postgres-inventory-store.js";
import { createPostgresOutboxStore } from "./postgres-outbox-store.js";
import { createPostgresPool } from "./postgres-pool.js";
import { createPostgresRateLimitStore } from "./postgres-rate-limit-store.js";
import { reassignCallers } from "./reassign-callers.js";

/**
 * Opens a pool on the `postgres://` URL (query parameters: see parsePostgresUrl), applies pending
 * migrations, and returns every port over it. Replicas may open the same database at once.
 */
export async function openPostgresStorage(url: string): Promise<Storage> {
  const pool = createPostgresPool(url);
  try {
    await applyPostgresMigrations(pool, postgresMigrations);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const { outbox, audit } = createPostgresOutboxStore(pool);
  return {
    kind: "postgres",
    outbox,
    audit,
    bookings: createPostgresBookingStore(pool),
    inventory: createPostgresInventoryStore(pool),
    calendar: createCalendarPostgresStore(pool),
    rateLimits: createPostgresRateLimitStore(pool),
    ledger: { entries: () => pool.transaction(allLedgerEntries, { readOnly: true }) },
    reassignCallers: (aggregators) => pool.transaction((sql) => reassignCallers(sql, aggregators)),
    // Every replica reads through: the database holds the only copy.
    readCaches: () => [],
    writeBatches: () => undefined,
    health: () => pool.health(),
    close: () => pool.end(),
  };
}
