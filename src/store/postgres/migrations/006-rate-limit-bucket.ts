import type { PostgresMigration } from "../apply-migrations.js";

/**
 * The per-credential token buckets every replica takes from (SQLite's 006): the tokens left at
 * `refilled_at_sec` (the database's clock, so replicas' clocks never meet), and whether the last take
 * got one, which is how the one statement that takes reports its answer.
 */
export const rateLimitBucketMigration: PostgresMigration = {
  version: 6,
  name: "rate-limit-bucket",
  sql: `
CREATE TABLE rate_limit_bucket (
  caller text PRIMARY KEY,
  tokens double precision NOT NULL,
  refilled_at_sec double precision NOT NULL,
  granted boolean NOT NULL
);
`,
};
