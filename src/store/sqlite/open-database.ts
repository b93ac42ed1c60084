import Database from "better-sqlite3";
import { applyMigrations } from "./apply-migrations.js";
import { migrations } from "./migrations/index.js";

/**
 * How hard each commit waits for the disk. FULL (default): an acknowledged write survives a power loss.
 * NORMAL: in WAL mode a commit survives a process crash but the last commits may be lost on power loss;
 * roughly 9x the single-commit rate (notes/stack.md §6).
 */
export type SynchronousMode = "FULL" | "NORMAL";

/** Options for opening the store's database. */
export interface OpenDatabaseOptions {
  /** Defaults to FULL. */
  synchronous?: SynchronousMode;
  /** How long a writer waits for another connection's lock before SQLITE_BUSY; 5000 ms by default. */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

/** The better-sqlite3 database handle type. */
export type SqliteDatabase = Database.Database;

/**
 * Opens (creating if needed) the SQLite file in WAL mode with foreign keys on and temporary storage in
 * memory, and applies pending migrations, each in its own transaction.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): SqliteDatabase {
  const db = new Database(path, { readonly: options.readonly ?? false });
  try {
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    if (!options.readonly) db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${options.synchronous ?? "FULL"}`);
    db.pragma("foreign_keys = ON");
    // Temporary storage in memory, above all the journal each group-commit write's SAVEPOINT keeps of
    // the pages it changes: past 64 KiB SQLite would spill it to a temporary file, page by page with
    // pwrite, which was the largest kernel cost of CreateBooking. Every sort this store runs is served
    // by an index or bounded by a LIMIT, so nothing large is kept there.
    db.pragma("temp_store = MEMORY");
    if (!options.readonly) applyMigrations(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
