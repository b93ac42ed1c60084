import type { Migration } from "../apply-migrations.js";

const bump = (merchant: string) => `INSERT INTO availability_version (merchant_id, version) VALUES (${merchant}, 1)
    ON CONFLICT (merchant_id) DO UPDATE SET version = version + 1;`;

/** The slot columns a lookup reads (SlotJsonArray); an update of any other column leaves availability alone. */
const slotColumns = [
  "slot_id",
  "merchant_id",
  "service_id",
  "start_sec",
  "duration_sec",
  "staff_id",
  "room_id",
  "party_size",
  "spots_total",
  "spots_external",
  "spots_booked",
  "confirmation_mode",
  "availability_tag",
  "in_feed",
];

/** The busy_interval columns a lookup reads (BusyRow, and id, which orders and deduplicates them). */
const busyColumns = ["id", "merchant_id", "resource_kind", "resource_id", "start_sec", "end_sec"];

const changed = (columns: readonly string[]) => columns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(" OR ");

const triggers = (table: string, columns: readonly string[]) => `
CREATE TRIGGER ${table}_availability_insert AFTER INSERT ON ${table} BEGIN
  ${bump("NEW.merchant_id")}
END;
CREATE TRIGGER ${table}_availability_delete AFTER DELETE ON ${table} BEGIN
  ${bump("OLD.merchant_id")}
END;
CREATE TRIGGER ${table}_availability_update AFTER UPDATE OF ${columns.join(", ")} ON ${table}
  WHEN ${changed(columns)} BEGIN
  ${bump("NEW.merchant_id")}
END;
CREATE TRIGGER ${table}_availability_move AFTER UPDATE OF merchant_id ON ${table}
  WHEN OLD.merchant_id IS NOT NEW.merchant_id BEGIN
  ${bump("OLD.merchant_id")}
END;
`;

/**
 * A version per merchant of everything a lookup reads (its slots and busy intervals), raised by triggers
 * in the writing transaction, whichever connection or process writes. The availability cache serves a
 * merchant's lookup from memory only while the version it read with the data is still current.
 * A merchant without a row has version 0; versions only grow, so a version names one committed state.
 */
export const availabilityVersionMigration: Migration = {
  version: 8,
  name: "availability-version",
  sql: `
CREATE TABLE availability_version (
  merchant_id TEXT PRIMARY KEY,
  version INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
${triggers("slot", slotColumns)}
${triggers("busy_interval", busyColumns)}
`,
};
