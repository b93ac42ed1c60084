import type { Migration } from "../apply-migrations.js";

/**
 * Linked external calendars with their credentials and sync state, and the conflicts between busy
 * intervals and bookings that already existed when the interval appeared.
 */
export const calendarMigration: Migration = {
  version: 2,
  name: "calendar",
  sql: `
-- next_attempt_sec NULL means "not scheduled": the link needs re-authorisation, its calendar is gone,
-- or the API refused the request as malformed; only a re-link or an on-demand sync tries again.
CREATE TABLE calendar_link (
  link_id INTEGER PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  resource_kind TEXT NOT NULL CHECK (resource_kind IN ('merchant', 'staff', 'room')),
  resource_id TEXT NOT NULL DEFAULT '',
  calendar_id TEXT NOT NULL,
  credentials_kind TEXT NOT NULL CHECK (credentials_kind IN ('oauth', 'service_account')),
  credentials_json TEXT NOT NULL,
  created_sec INTEGER NOT NULL,
  time_zone TEXT NOT NULL DEFAULT '',
  sync_token TEXT,
  full_sync_sec INTEGER,
  last_attempt_sec INTEGER,
  last_success_sec INTEGER,
  last_error_reason TEXT,
  last_error_message TEXT,
  last_error_sec INTEGER,
  next_attempt_sec INTEGER,
  consecutive_failures INTEGER NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
  needs_reauth INTEGER NOT NULL DEFAULT 0 CHECK (needs_reauth IN (0, 1)),
  gone INTEGER NOT NULL DEFAULT 0 CHECK (gone IN (0, 1)),
  UNIQUE (merchant_id, resource_kind, resource_id, calendar_id),
  CHECK ((resource_kind = 'merchant') = (resource_id = ''))
) STRICT;

CREATE INDEX calendar_link_next_attempt ON calendar_link (next_attempt_sec);

-- Calendar rows use source_ref '<link_id>:<event_id>', so one link's rows are one index range.
CREATE UNIQUE INDEX busy_interval_source_ref ON busy_interval (source, source_ref);

-- A busy interval that appeared over a booking already made; the booking stays, the merchant decides.
CREATE TABLE busy_conflict (
  conflict_id INTEGER PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('block', 'calendar')),
  source_ref TEXT NOT NULL,
  booking_id TEXT NOT NULL,
  start_sec INTEGER NOT NULL,
  end_sec INTEGER NOT NULL,
  detected_sec INTEGER NOT NULL,
  cleared_sec INTEGER,
  UNIQUE (source, source_ref, booking_id)
) STRICT;

CREATE INDEX busy_conflict_merchant ON busy_conflict (merchant_id, cleared_sec);
`,
};
