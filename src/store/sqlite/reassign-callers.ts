import type { CallerReassignment } from "../storage.js";
import type { SqliteDatabase } from "./open-database.js";

/**
 * Moves the rows a credential user wrote under its own name (everything before it was assigned to an
 * aggregator) to that aggregator, for every user whose aggregator is another name: its bookings and
 * its idempotency records, in one IMMEDIATE transaction, so concurrent starts move each row once and a
 * second run moves nothing. A token the aggregator already holds keeps the aggregator's record (a retry
 * replays that one); the user's record stays under the old name, reported, and its booking moves anyway.
 * Returns the users that had rows under their name; the rest of the database is untouched.
 */
export function reassignCallers(db: SqliteDatabase, aggregators: ReadonlyMap<string, string>): CallerReassignment[] {
  const assigned = [...aggregators].filter(([user, aggregator]) => user !== aggregator);
  if (assigned.length === 0) return [];
  const moveBookings = db.prepare<[string, string]>("UPDATE booking SET caller = ? WHERE caller = ?");
  const moveTokens = db.prepare<{ user: string; aggregator: string }>(
    `UPDATE idempotency_record SET caller = @aggregator
     WHERE caller = @user AND NOT EXISTS (
       SELECT 1 FROM idempotency_record held WHERE held.caller = @aggregator AND held.token = idempotency_record.token)`,
  );
  const countLeft = db.prepare<[string], number>("SELECT COUNT(*) FROM idempotency_record WHERE caller = ?").pluck();
  return db
    .transaction(() => {
      const moved: CallerReassignment[] = [];
      for (const [user, aggregator] of assigned) {
        const bookings = moveBookings.run(aggregator, user).changes;
        const tokens = moveTokens.run({ user, aggregator }).changes;
        const conflictingTokens = countLeft.get(user) ?? 0;
        if (bookings + tokens + conflictingTokens > 0) {
          moved.push({ user, aggregator, bookings, tokens, conflictingTokens });
        }
      }
      return moved;
    })
    .immediate();
}
