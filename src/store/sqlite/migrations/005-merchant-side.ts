import type { Migration } from "../apply-migrations.js";

/**
 * The merchant side: a version per booking and slot (their etags), a change mark per booking
 * (incremental listing), the audit log and the outbox of real-time updates to the aggregator.
 * A booking's change mark is one more than the largest so far; writes are serialized, so marks follow
 * commit order.
 */
export const merchantSideMigration: Migration = {
  version: 5,
  name: "merchant-side",
  sql: `
ALTER TABLE booking ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE booking ADD COLUMN change_mark INTEGER NOT NULL DEFAULT 0;
UPDATE booking SET change_mark = rowid;
CREATE INDEX booking_change_mark ON booking (change_mark);
ALTER TABLE slot ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE audit_entry (
  entry_id INTEGER PRIMARY KEY,
  at_sec INTEGER NOT NULL,
  actor_kind TEXT NOT NULL CHECK (actor_kind IN ('aggregator', 'admin', 'cli', 'calendar')),
  actor_id TEXT NOT NULL,
  action TEXT NOT NULL,
  booking_id TEXT NOT NULL DEFAULT '',
  merchant_id TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT,
  reason TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX audit_entry_booking ON audit_entry (booking_id, entry_id);
CREATE INDEX audit_entry_merchant ON audit_entry (merchant_id, entry_id);

-- Delivery times are milliseconds since the epoch; lease_until_ms keeps other workers off a claimed entry.
CREATE TABLE outbox_entry (
  entry_id INTEGER PRIMARY KEY,
  entry_key TEXT NOT NULL,
  booking_id TEXT NOT NULL DEFAULT '',
  merchant_id TEXT NOT NULL,
  service_id TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  next_attempt_ms INTEGER NOT NULL DEFAULT 0,
  lease_until_ms INTEGER NOT NULL DEFAULT 0,
  created_sec INTEGER NOT NULL,
  delivered_sec INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX outbox_entry_state_key ON outbox_entry (state, entry_key, entry_id);
CREATE INDEX outbox_entry_booking ON outbox_entry (booking_id, entry_id);
`,
};
