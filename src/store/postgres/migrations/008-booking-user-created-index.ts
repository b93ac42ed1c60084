import type { PostgresMigration } from "../apply-migrations.js";

/**
 * ListBookings answers a user's bookings in the order they were made (created_sec, then created_seq):
 * an index on the lookup's equality columns followed by those two hands them over in that order, so the
 * plan needs no sort (SQLite's 008).
 */
export const bookingUserCreatedIndexMigration: PostgresMigration = {
  version: 8,
  name: "booking-user-created-index",
  sql: `
CREATE INDEX booking_caller_user_created ON booking (caller, user_id, created_sec, created_seq);
`,
};
