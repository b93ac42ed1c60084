import type { Migration } from "../apply-migrations.js";

/** Inventory, policies, bookings, idempotency records, the payment ledger and busy intervals. */
export const coreMigration: Migration = {
  version: 1,
  name: "core",
  sql: `
CREATE TABLE merchant (
  merchant_id TEXT PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  time_zone TEXT NOT NULL DEFAULT 'UTC',
  max_active_bookings_per_user INTEGER NOT NULL DEFAULT 0 CHECK (max_active_bookings_per_user >= 0),
  forbid_overlapping INTEGER NOT NULL DEFAULT 0 CHECK (forbid_overlapping IN (0, 1))
) STRICT;

CREATE TABLE service (
  merchant_id TEXT NOT NULL REFERENCES merchant (merchant_id),
  service_id TEXT NOT NULL,
  min_advance_cancellation_sec INTEGER NOT NULL DEFAULT 0 CHECK (min_advance_cancellation_sec >= 0),
  prepayment_price_micros INTEGER CHECK (prepayment_price_micros > 0),
  prepayment_currency_code TEXT,
  refund_window_sec INTEGER NOT NULL DEFAULT 0 CHECK (refund_window_sec >= 0),
  PRIMARY KEY (merchant_id, service_id),
  CHECK ((prepayment_price_micros IS NULL) = (prepayment_currency_code IS NULL))
) STRICT;

-- spots_booked counts this server's bookings that hold a spot; it only grows through a guarded UPDATE
-- (spots_booked + spots_external < spots_total), which is what makes overbooking impossible.
CREATE TABLE slot (
  slot_id INTEGER PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  service_id TEXT NOT NULL,
  start_sec INTEGER NOT NULL,
  duration_sec INTEGER NOT NULL CHECK (duration_sec > 0),
  staff_id TEXT NOT NULL DEFAULT '',
  room_id TEXT NOT NULL DEFAULT '',
  party_size INTEGER NOT NULL DEFAULT 0 CHECK (party_size >= 0),
  spots_total INTEGER NOT NULL CHECK (spots_total >= 0),
  spots_external INTEGER NOT NULL DEFAULT 0 CHECK (spots_external >= 0),
  spots_booked INTEGER NOT NULL DEFAULT 0 CHECK (spots_booked >= 0),
  confirmation_mode TEXT NOT NULL DEFAULT 'UNSPECIFIED'
    CHECK (confirmation_mode IN ('UNSPECIFIED', 'SYNCHRONOUS', 'ASYNCHRONOUS')),
  availability_tag TEXT NOT NULL DEFAULT '',
  in_feed INTEGER NOT NULL DEFAULT 1 CHECK (in_feed IN (0, 1)),
  FOREIGN KEY (merchant_id, service_id) REFERENCES service (merchant_id, service_id),
  UNIQUE (merchant_id, service_id, start_sec, staff_id, room_id, party_size, duration_sec)
) STRICT;

CREATE INDEX slot_merchant_start ON slot (merchant_id, start_sec);

CREATE TABLE booking (
  booking_id TEXT PRIMARY KEY,
  slot_id INTEGER NOT NULL REFERENCES slot (slot_id),
  merchant_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  caller TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('CONFIRMED', 'PENDING_MERCHANT_CONFIRMATION', 'CANCELED',
    'NO_SHOW', 'NO_SHOW_PENALIZED', 'FAILED', 'DECLINED_BY_MERCHANT')),
  prepayment TEXT NOT NULL CHECK (prepayment IN ('NOT_PROVIDED', 'PROVIDED', 'REFUNDED')),
  payment_transaction_id TEXT NOT NULL DEFAULT '',
  price_micros INTEGER,
  currency_code TEXT,
  user_json TEXT NOT NULL,
  created_sec INTEGER NOT NULL,
  updated_sec INTEGER NOT NULL
) STRICT;

CREATE INDEX booking_user_merchant ON booking (user_id, merchant_id);
CREATE INDEX booking_slot ON booking (slot_id);

-- One row per successful CreateBooking; never expires while its booking exists.
CREATE TABLE idempotency_record (
  caller TEXT NOT NULL,
  token TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  booking_id TEXT NOT NULL UNIQUE REFERENCES booking (booking_id) ON DELETE CASCADE,
  response BLOB NOT NULL,
  created_sec INTEGER NOT NULL,
  PRIMARY KEY (caller, token)
) STRICT, WITHOUT ROWID;

CREATE TABLE payment_ledger (
  entry_id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('charge', 'refund')),
  idempotency_key TEXT NOT NULL,
  transaction_id TEXT NOT NULL UNIQUE,
  booking_id TEXT NOT NULL,
  amount_micros INTEGER NOT NULL CHECK (amount_micros > 0),
  currency_code TEXT NOT NULL,
  created_sec INTEGER NOT NULL,
  UNIQUE (kind, idempotency_key)
) STRICT;

CREATE INDEX payment_ledger_booking ON payment_ledger (booking_id);

CREATE TABLE busy_interval (
  id INTEGER PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  resource_kind TEXT NOT NULL CHECK (resource_kind IN ('merchant', 'staff', 'room')),
  resource_id TEXT NOT NULL DEFAULT '',
  start_sec INTEGER NOT NULL,
  end_sec INTEGER NOT NULL CHECK (end_sec > start_sec),
  source TEXT NOT NULL CHECK (source IN ('block', 'calendar')),
  source_ref TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);

CREATE INDEX busy_interval_merchant_start ON busy_interval (merchant_id, start_sec);
`,
};
