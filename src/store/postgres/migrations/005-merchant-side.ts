import type { PostgresMigration } from "../apply-migrations.js";

/**
 * SQLite's 005 in PostgreSQL: booking and slot versions (etags), booking change marks, the audit log and
 * the outbox. A booking's change mark is the id of the transaction that last wrote it, so a listing's
 * sync mark (the oldest transaction still running when it read) is below every change it did not see.
 */
export const merchantSideMigration: PostgresMigration = {
  version: 5,
  name: "merchant-side",
  sql: `
ALTER TABLE booking ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE booking ADD COLUMN change_mark bigint NOT NULL DEFAULT 0;
CREATE INDEX booking_change_mark ON booking (change_mark);
ALTER TABLE slot ADD COLUMN version integer NOT NULL DEFAULT 1;

CREATE TABLE audit_entry (
  entry_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at_sec bigint NOT NULL,
  actor_kind text NOT NULL CHECK (actor_kind IN ('aggregator', 'admin', 'cli', 'calendar')),
  actor_id text NOT NULL,
  action text NOT NULL,
  booking_id text NOT NULL DEFAULT '',
  merchant_id text NOT NULL,
  before_json text,
  after_json text,
  reason text NOT NULL DEFAULT ''
);

CREATE INDEX audit_entry_booking ON audit_entry (booking_id, entry_id);
CREATE INDEX audit_entry_merchant ON audit_entry (merchant_id, entry_id);

CREATE TABLE outbox_entry (
  entry_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  entry_key text NOT NULL,
  booking_id text NOT NULL DEFAULT '',
  merchant_id text NOT NULL,
  service_id text NOT NULL,
  payload_json text NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text NOT NULL DEFAULT '',
  next_attempt_ms bigint NOT NULL DEFAULT 0,
  lease_until_ms bigint NOT NULL DEFAULT 0,
  created_sec bigint NOT NULL,
  delivered_sec bigint NOT NULL DEFAULT 0
);

CREATE INDEX outbox_entry_state_key ON outbox_entry (state, entry_key, entry_id);
CREATE INDEX outbox_entry_booking ON outbox_entry (booking_id, entry_id);
`,
};
