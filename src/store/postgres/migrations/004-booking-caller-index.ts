import type { PostgresMigration } from "../apply-migrations.js";

/**
 * Bookings are read per aggregator (`caller`): one index led by caller serves a user's bookings, a
 * user's active bookings at a merchant and the caller reassignment, so it replaces the one led by
 * user_id (SQLite's 004).
 */
export const bookingCallerIndexMigration: PostgresMigration = {
  version: 4,
  name: "booking-caller-index",
  sql: `
DROP INDEX booking_user_merchant;
CREATE INDEX booking_caller_user_merchant ON booking (caller, user_id, merchant_id);
`,
};
