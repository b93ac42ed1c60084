import type { PostgresMigration } from "../apply-migrations.js";
import { coreMigration } from "./001-core.js";
import { calendarMigration } from "./002-calendar.js";
import { calendarLinkIdsMigration } from "./003-calendar-link-ids.js";
import { bookingCallerIndexMigration } from "./004-booking-caller-index.js";
import { merchantSideMigration } from "./005-merchant-side.js";
import { rateLimitBucketMigration } from "./006-rate-limit-bucket.js";
import { outboxMerchantIndexMigration } from "./007-outbox-merchant-index.js";
import { bookingUserCreatedIndexMigration } from "./009-booking-user-created-index.js";

/**
 * Every PostgreSQL schema migration, in version order. The versions follow SQLite's step for step; a step
 * only SQLite needs (008, the availability cache's versions) leaves its number unused here.
 */
export const postgresMigrations: readonly PostgresMigration[] = [
  coreMigration,
  calendarMigration,
  calendarLinkIdsMigration,
  bookingCallerIndexMigration,
  merchantSideMigration,
  rateLimitBucketMigration,
  outboxMerchantIndexMigration,
  bookingUserCreatedIndexMigration,
];
