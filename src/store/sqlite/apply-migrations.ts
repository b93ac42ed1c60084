import type Database from "better-sqlite3";

/** One schema step: applied once, in version order, in its own transaction. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Applies the migrations not yet recorded in `schema_migration`. Each runs in a BEGIN IMMEDIATE
 * transaction that re-reads the record, so two processes starting on one file apply each step once.
 */
export function applyMigrations(db: Database.Database, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at_sec INTEGER NOT NULL
  )`);
  const isApplied = db.prepare<[number], number>("SELECT 1 FROM schema_migration WHERE version = ?").pluck();
  const record = db.prepare<[number, string, number]>(
    "INSERT INTO schema_migration (version, name, applied_at_sec) VALUES (?, ?, ?)",
  );
  const applied: number[] = [];
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  for (const migration of ordered) {
    db.transaction(() => {
      if (isApplied.get(migration.version)) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Math.floor(Date.now() / 1000));
      applied.push(migration.version);
    }).immediate();
  }
  return applied;
}

/** The versions recorded as applied, ascending. */
export function appliedVersions(db: Database.Database): number[] {
  return db.prepare<[], number>("SELECT version FROM schema_migration ORDER BY version").pluck().all();
}
