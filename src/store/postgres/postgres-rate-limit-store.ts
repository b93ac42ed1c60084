import type { RateLimitStore } from "../../contract/rate-limit-store.js";
import type { PostgresPool } from "./postgres-pool.js";

/**
 * One statement, so one round trip and no transaction: the upsert locks the caller's row, refills it
 * for the time since its last refill (capped at the burst) and takes a token when at least one is there.
 * A refused call leaves the level where the refill put it, which is the same bucket as before.
 * The clock is the database's, read before the row lock; a call that waited for the lock behind a later
 * reading never moves the refill time back nor counts negative time. `granted` reports the answer,
 * since RETURNING sees only the new row.
 */
const takeToken = `
INSERT INTO rate_limit_bucket AS b (caller, tokens, refilled_at_sec, granted)
VALUES ($1, $3::float8 - 1, extract(epoch FROM clock_timestamp()), true)
ON CONFLICT (caller) DO UPDATE SET (tokens, refilled_at_sec, granted) = (
  SELECT CASE WHEN level >= 1 THEN level - 1 ELSE level END, at_sec, level >= 1
  FROM (
    SELECT LEAST($3::float8, b.tokens + GREATEST(excluded.refilled_at_sec - b.refilled_at_sec, 0) * $2::float8) AS level,
      GREATEST(b.refilled_at_sec, excluded.refilled_at_sec) AS at_sec
  ) AS refill
)
RETURNING tokens, granted`;

/** The token buckets of every replica on this database, in `rate_limit_bucket`. */
export function createPostgresRateLimitStore(pool: PostgresPool): RateLimitStore {
  return {
    async take(caller, { ratePerSec, burst }) {
      const [row] = await pool.statement<{ tokens: number; granted: boolean }>(takeToken, [caller, ratePerSec, burst]);
      if (!row) throw new Error("rate limit: the bucket upsert returned no row");
      // Refused: the level is below one token, and the missing part comes in at the rate.
      return row.granted ? 0 : (1 - row.tokens) / ratePerSec;
    },
  };
}
