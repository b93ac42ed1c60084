import type { Migration } from "../apply-migrations.js";

/**
 * Bookings are read per aggregator (`caller`): a user's bookings, a user's active bookings at a
 * merchant, and the startup step that moves a credential user's rows to its aggregator. One index led
 * by caller serves all three, so it replaces the one led by user_id.
 */
export const bookingCallerIndexMigration: Migration = {
  version: 4,
  name: "booking-caller-index",
  sql: `
DROP INDEX booking_user_merchant;
CREATE INDEX booking_caller_user_merchant ON booking (caller, user_id, merchant_id);
`,
};
