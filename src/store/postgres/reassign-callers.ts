import type { CallerReassignment } from "../storage.js";
import { lockUntilCommit } from "./advisory-lock.js";
import type { Sql } from "./postgres-pool.js";

/**
 * Moves the rows a credential user wrote under its own name to its aggregator, for every user whose
 * aggregator is another name: its bookings and its idempotency records, in the caller's transaction and
 * under an advisory lock, so replicas starting at once move each row once and a second run moves nothing.
 * A token the aggregator already holds keeps the aggregator's record; the user's record stays, reported.
 */
export async function reassignCallers(
  sql: Sql,
  aggregators: ReadonlyMap<string, string>,
): Promise<CallerReassignment[]> {
  const assigned = [...aggregators].filter(([user, aggregator]) => user !== aggregator);
  if (assigned.length === 0) return [];
  await lockUntilCommit(sql, "callers");
  const moved: CallerReassignment[] = [];
  for (const [user, aggregator] of assigned) {
    const bookings = await sql.run("UPDATE booking SET caller = $1 WHERE caller = $2", [aggregator, user]);
    const tokens = await sql.run(
      `UPDATE idempotency_record SET caller = $2
       WHERE caller = $1 AND NOT EXISTS (
         SELECT 1 FROM idempotency_record held WHERE held.caller = $2 AND held.token = idempotency_record.token)`,
      [user, aggregator],
    );
    const left = await sql.row<{ n: number }>("SELECT COUNT(*) AS n FROM idempotency_record WHERE caller = $1", [user]);
    const conflictingTokens = left?.n ?? 0;
    if (bookings + tokens + conflictingTokens > 0) {
      moved.push({ user, aggregator, bookings, tokens, conflictingTokens });
    }
  }
  return moved;
}
