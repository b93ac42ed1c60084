import { lockUntilCommit } from "./advisory-lock.js";
import type { PostgresPool } from "./postgres-pool.js";

/** One PostgreSQL schema step: applied once, in version order, in its own transaction. */
export interface PostgresMigration {
  version: number;
  name: string;
  /** One or more statements. */
  sql: string;
}

const createRecord = `CREATE TABLE IF NOT EXISTS schema_migration (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at_sec bigint NOT NULL
)`;

/**
 * Applies the migrations not yet recorded in `schema_migration`, each in a transaction that first takes
 * the migrations advisory lock and then re-reads the record: replicas starting at once on one database
 * queue on the lock, and each step runs exactly once. DDL is transactional, so a failed step leaves
 * nothing behind. Returns the versions this call applied.
 */
export async function applyPostgresMigrations(
  pool: PostgresPool,
  migrations: readonly PostgresMigration[],
): Promise<number[]> {
  const applied: number[] = [];
  // The common start: every step is already there, and a replica need not queue on the lock to see it.
  const recorded = new Set(await appliedPostgresVersions(pool));
  const pending = migrations.filter((migration) => !recorded.has(migration.version));
  for (const migration of pending.sort((a, b) => a.version - b.version)) {
    const ran = await pool.transaction(async (sql) => {
      await lockUntilCommit(sql, "migrations");
      await sql.exec(createRecord);
      if (await sql.row("SELECT 1 FROM schema_migration WHERE version = $1", [migration.version])) return false;
      await sql.exec(migration.sql);
      await sql.run("INSERT INTO schema_migration (version, name, applied_at_sec) VALUES ($1, $2, $3)", [
        migration.version,
        migration.name,
        Math.floor(Date.now() / 1000),
      ]);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  return applied;
}

/** The versions recorded as applied, ascending; empty on a database never migrated. */
export async function appliedPostgresVersions(pool: PostgresPool): Promise<number[]> {
  return pool.transaction(async (sql) => {
    const table = await sql.row<{ name: string | null }>("SELECT to_regclass('schema_migration')::text AS name");
    if (!table?.name) return [];
    const rows = await sql.rows<{ version: number }>("SELECT version FROM schema_migration ORDER BY version");
    return rows.map((row) => row.version);
  });
}
