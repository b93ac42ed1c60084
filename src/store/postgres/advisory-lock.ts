import type { Sql } from "./postgres-pool.js";

/**
 * What a transaction-scoped advisory lock guards. Each kind is its own key space (the first key of
 * `pg_advisory_xact_lock(int, int)`), so a token can never block a user or a migration.
 */
export type AdvisoryLockKind = "migrations" | "idempotency-token" | "user-at-merchant" | "inventory" | "callers";

const kindKeys: Record<AdvisoryLockKind, number> = {
  migrations: 0x626b0001,
  "idempotency-token": 0x626b0002,
  "user-at-merchant": 0x626b0003,
  inventory: 0x626b0004,
  callers: 0x626b0005,
};

/**
 * Waits for the lock of `parts` (as a JSON array, hashed by `hashtext`) and holds it until the
 * transaction ends. Two different keys may share a hash; that only makes them queue, never wrong.
 */
export async function lockUntilCommit(sql: Sql, kind: AdvisoryLockKind, ...parts: string[]): Promise<void> {
  await sql.run("SELECT pg_advisory_xact_lock($1::int, hashtext($2))", [kindKeys[kind], JSON.stringify(parts)]);
}
