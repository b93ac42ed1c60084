import type { Migration } from "../apply-migrations.js";

/**
 * PostgreSQL's per-credential token buckets, here only so both schemas stay the same: a SQLite file has
 * one server in front of it, which keeps its buckets in memory (see openSqliteStorage).
 */
export const rateLimitBucketMigration: Migration = {
  version: 6,
  name: "rate-limit-bucket",
  sql: `
CREATE TABLE rate_limit_bucket (
  caller TEXT PRIMARY KEY,
  tokens REAL NOT NULL,
  refilled_at_sec REAL NOT NULL,
  granted INTEGER NOT NULL
) STRICT;
`,
};
