import { listedBookingColumns, listedSlotColumns } from "../../rows/listed-booking-json.js";
import type { Migration } from "../apply-migrations.js";

const bump = (caller: string, userId: string) => `INSERT INTO user_listing_version (caller, user_id, version)
    VALUES (${caller}, ${userId}, 1) ON CONFLICT (caller, user_id) DO UPDATE SET version = version + 1;`;

/** Raises the version of every user with a booking in slot `slotId`. */
const bumpBookersOf = (slotId: string) => `INSERT INTO user_listing_version (caller, user_id, version)
    SELECT DISTINCT caller, user_id, 1 FROM booking WHERE slot_id = ${slotId}
    ON CONFLICT (caller, user_id) DO UPDATE SET version = version + 1;`;

const changed = (columns: readonly string[]) => columns.map((c) => `OLD.${c} IS NOT NEW.${c}`).join(" OR ");

/** Every booking column the listing reads, including the ones it filters and joins on. */
const bookingColumns = [...listedBookingColumns, "caller", "user_id", "slot_id"];

/**
 * A version per (caller, user) of everything a user's listing reads (the user's bookings and what it
 * shows of their slots), raised by triggers in the writing transaction, whichever connection or process
 * writes. The listing cache serves a user's listing from memory only while the version it read with the
 * data is still current. A user without a row has version 0; versions only grow. Slot updates fire only
 * when a column the listing shows changes, so spot counters and re-imports that change nothing leave
 * listings cached.
 */
export const userListingVersionMigration: Migration = {
  version: 10,
  name: "user-listing-version",
  sql: `
CREATE TABLE user_listing_version (
  caller TEXT NOT NULL,
  user_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (caller, user_id)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER booking_listing_insert AFTER INSERT ON booking BEGIN
  ${bump("NEW.caller", "NEW.user_id")}
END;
CREATE TRIGGER booking_listing_delete AFTER DELETE ON booking BEGIN
  ${bump("OLD.caller", "OLD.user_id")}
END;
CREATE TRIGGER booking_listing_update AFTER UPDATE OF ${bookingColumns.join(", ")} ON booking
  WHEN ${changed(bookingColumns)} BEGIN
  ${bump("NEW.caller", "NEW.user_id")}
END;
CREATE TRIGGER booking_listing_move AFTER UPDATE OF caller, user_id ON booking
  WHEN OLD.caller IS NOT NEW.caller OR OLD.user_id IS NOT NEW.user_id BEGIN
  ${bump("OLD.caller", "OLD.user_id")}
END;
CREATE TRIGGER slot_listing_update AFTER UPDATE OF ${listedSlotColumns.join(", ")} ON slot
  WHEN ${changed(listedSlotColumns)} BEGIN
  ${bumpBookersOf("NEW.slot_id")}
END;
CREATE TRIGGER slot_listing_renumber AFTER UPDATE OF slot_id ON slot WHEN OLD.slot_id IS NOT NEW.slot_id BEGIN
  ${bumpBookersOf("OLD.slot_id")}
END;
-- With foreign keys on, a booked slot is neither deleted nor inserted under a booked id; a connection
-- with them off can do both, and the listing's join follows.
CREATE TRIGGER slot_listing_insert AFTER INSERT ON slot BEGIN
  ${bumpBookersOf("NEW.slot_id")}
END;
CREATE TRIGGER slot_listing_delete AFTER DELETE ON slot BEGIN
  ${bumpBookersOf("OLD.slot_id")}
END;
`,
};
