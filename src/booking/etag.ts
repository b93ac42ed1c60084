import { createHash } from "node:crypto";
import type { Booking } from "./booking.js";
import { BookingError } from "./booking-error.js";
import type { InventorySlot } from "./inventory.js";

/** The etag of a booking: opaque to clients, it changes with every change of the booking. */
export function bookingEtag(booking: Pick<Booking, "bookingId" | "version">): string {
  return `"${booking.version}"`;
}

/**
 * Refuses a change made against another version of the booking than the stored one. An empty
 * `expected` skips the check (a client that did not read the booking first).
 */
export function checkBookingEtag(booking: Booking, expected: string): void {
  if (expected === "" || expected === bookingEtag(booking)) return;
  throw new BookingError("ETAG_MISMATCH", "the booking changed since it was read; read it again");
}

/**
 * The etag of a slot: a short hash of everything stored about it, spots booked included, so it changes
 * with every change of the slot (a booking taken or released too) without a version column.
 */
export function slotEtag(slot: InventorySlot): string {
  const content = [
    slot.slotId,
    slot.merchantId,
    slot.serviceId,
    slot.startSec,
    slot.durationSec,
    slot.staffId,
    slot.roomId,
    slot.partySize,
    slot.spotsTotal,
    slot.spotsExternal,
    slot.spotsBooked,
    slot.confirmationMode,
    slot.availabilityTag,
    slot.inFeed,
  ];
  return `"s${createHash("sha256").update(JSON.stringify(content)).digest("base64url").slice(0, 16)}"`;
}

/** Refuses a change of a slot made against another version of it; empty `expected` skips the check. */
export function checkSlotEtag(slot: InventorySlot | undefined, expected: string): void {
  if (expected === "" || (slot && expected === slotEtag(slot))) return;
  throw new BookingError("ETAG_MISMATCH", "the slot changed since it was read; read it again");
}
