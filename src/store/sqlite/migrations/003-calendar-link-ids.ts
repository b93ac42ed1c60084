import type { Migration } from "../apply-migrations.js";

/**
 * Calendar link ids are never handed out twice: a sync still running for a removed link must not meet
 * a new link under the same id. SQLite cannot add AUTOINCREMENT to a table, so calendar_link is rebuilt
 * with its rows, constraints and index, and the id sequence starts above every id still named anywhere.
 */
export const calendarLinkIdsMigration: Migration = {
  version: 3,
  name: "calendar-link-ids",
  sql: `
CREATE TABLE calendar_link_rebuilt (
  link_id INTEGER PRIMARY KEY AUTOINCREMENT,
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

INSERT INTO calendar_link_rebuilt (link_id, merchant_id, resource_kind, resource_id, calendar_id, credentials_kind,
  credentials_json, created_sec, time_zone, sync_token, full_sync_sec, last_attempt_sec, last_success_sec,
  last_error_reason, last_error_message, last_error_sec, next_attempt_sec, consecutive_failures, needs_reauth, gone)
SELECT link_id, merchant_id, resource_kind, resource_id, calendar_id, credentials_kind,
  credentials_json, created_sec, time_zone, sync_token, full_sync_sec, last_attempt_sec, last_success_sec,
  last_error_reason, last_error_message, last_error_sec, next_attempt_sec, consecutive_failures, needs_reauth, gone
FROM calendar_link;

DROP TABLE calendar_link;
ALTER TABLE calendar_link_rebuilt RENAME TO calendar_link;
CREATE INDEX calendar_link_next_attempt ON calendar_link (next_attempt_sec);

-- The old table forgot the ids of removed links; busy intervals and conflicts ('<link_id>:<event_id>')
-- may still name one, so the sequence starts above those too.
INSERT INTO sqlite_sequence (name, seq)
SELECT 'calendar_link', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'calendar_link');
UPDATE sqlite_sequence SET seq = max(
  seq,
  (SELECT coalesce(max(link_id), 0) FROM calendar_link),
  (SELECT coalesce(max(CAST(substr(source_ref, 1, instr(source_ref, ':') - 1) AS INTEGER)), 0)
     FROM busy_interval WHERE source = 'calendar'),
  (SELECT coalesce(max(CAST(substr(source_ref, 1, instr(source_ref, ':') - 1) AS INTEGER)), 0)
     FROM busy_conflict WHERE source = 'calendar')
) WHERE name = 'calendar_link';
`,
};
