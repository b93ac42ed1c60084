import type { Migration } from "../apply-migrations.js";

/**
 * ListBookings answers a user's bookings in the order they were made. An index on the lookup's equality
 * columns followed by created_sec (and the implicit rowid) hands them over in that order, so the read
 * needs no sort. The index led by merchant_id stays for the per-merchant active-booking checks.
 */
export const bookingUserCreatedIndexMigration: Migration = {
  version: 9,
  name: "booking-user-created-index",
  sql: `
CREATE INDEX booking_caller_user_created ON booking (caller, user_id, created_sec);
`,
};
