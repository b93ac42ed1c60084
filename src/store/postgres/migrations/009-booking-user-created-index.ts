import type { PostgresMigration } from "../apply-migrations.js";

/**
 * SQLite's 009 (the index that hands a user's bookings over in list order), so both schemas keep the
 * same named indexes. PostgreSQL's planner may still prefer a bitmap scan of a user's scattered rows and
 * an in-memory sort of the few it finds; the index serves the lookup's equality columns either way.
 */
export const bookingUserCreatedIndexMigration: PostgresMigration = {
  version: 9,
  name: "booking-user-created-index",
  sql: `
CREATE INDEX booking_caller_user_created ON booking (caller, user_id, created_sec, created_seq);
`,
};
