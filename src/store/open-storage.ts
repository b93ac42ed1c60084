import { openPostgresStorage } from "./postgres/postgres-storage.js";
import type { SynchronousMode } from "./sqlite/open-database.js";
import { openSqliteStorage } from "./sqlite/sqlite-storage.js";
import type { Storage } from "./storage.js";

/** How to open a store; each option applies to the backends it names. */
export interface OpenStorageOptions {
  /** SQLite: FULL (default) survives a power loss, NORMAL a process crash. */
  synchronous?: SynchronousMode;
  /** SQLite: most writes per group commit; 64 by default. */
  maxBatch?: number;
  /** SQLite: bound of the availability cache, in slots and busy intervals; 200,000 by default, 0 for none. */
  readCacheSlots?: number;
  /** SQLite: bound of the listing cache, in bookings; 200,000 by default, 0 for none. */
  readCacheBookings?: number;
}

/** True for a `postgres://` or `postgresql://` URL; anything else is a SQLite file path. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Opens the storage a `--db` value names: a PostgreSQL URL (pool and TLS settings in its query, see
 * parsePostgresUrl) or a SQLite file (created, with its directory, when missing). Migrations are applied
 * before it resolves.
 */
export async function openStorage(url: string, options: OpenStorageOptions = {}): Promise<Storage> {
  if (isPostgresUrl(url)) return openPostgresStorage(url);
  return openSqliteStorage(url, options);
}
