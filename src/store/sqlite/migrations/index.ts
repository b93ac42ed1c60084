import type { Migration } from "../apply-migrations.js";
import { coreMigration } from "./001-core.js";
import { calendarMigration } from "./002-calendar.js";
import { calendarLinkIdsMigration } from "./003-calendar-link-ids.js";
import { bookingCallerIndexMigration } from "./004-booking-caller-index.js";
import { merchantSideMigration } from "./005-merchant-side.js";
import { rateLimitBucketMigration } from "./006-rate-limit-bucket.js";
import { outboxMerchantIndexMigration } from "./007-outbox-merchant-index.js";
import { availabilityVersionMigration } from "./008-availability-version.js";
import { bookingUserCreatedIndexMigration } from "./009-booking-user-created-index.js";
import { userListingVersionMigration } from "./010-user-listing-version.js";

/** Every schema migration, in version order; append new steps, never edit applied ones. */
export const migrations: readonly Migration[] = [
  coreMigration,
  calendarMigration,
  calendarLinkIdsMigration,
  bookingCallerIndexMigration,
  merchantSideMigration,
  rateLimitBucketMigration,
  outboxMerchantIndexMigration,
  availabilityVersionMigration,
  bookingUserCreatedIndexMigration,
  userListingVersionMigration,
];
