import { type BusyInterval, type InventorySlot, type SlotKey, slotEndSec } from "./inventory.js";

/** Why a slot cannot be booked right now. */
export type UnavailableReason = "unknown" | "withdrawn" | "past" | "blocked" | "full";

/** The verdict of the availability rule on one slot. */
export type SlotVerdict =
  | { bookable: true; slot: InventorySlot; spotsLeft: number }
  | { bookable: false; slot: InventorySlot | undefined; spotsLeft: 0; reason: UnavailableReason };

/** Spots of a slot not taken by this server's bookings nor outside it. */
export function spotsLeft(slot: InventorySlot): number {
  return Math.max(0, slot.spotsTotal - slot.spotsExternal - slot.spotsBooked);
}

/**
 * Whether a busy interval blocks a slot: it overlaps [start, start + duration) and belongs to the
 * slot's merchant as a whole, to its staff member or to its room.
 */
export function blocksSlot(interval: BusyInterval, slot: SlotKey): boolean {
  if (interval.merchantId !== slot.merchantId) return false;
  if (interval.startSec >= slotEndSec(slot) || interval.endSec <= slot.startSec) return false;
  switch (interval.resourceKind) {
    case "merchant":
      return interval.resourceId === "";
    case "staff":
      return slot.staffId !== "" && interval.resourceId === slot.staffId;
    case "room":
      return slot.roomId !== "" && interval.resourceId === slot.roomId;
  }
}

/**
 * THE availability rule, shared by BatchAvailabilityLookup, CheckAvailability and CreateBooking: a
 * slot is bookable when it exists in the feed, starts in the future, is not blocked and has a spot left.
 */
export function judgeSlot(slot: InventorySlot | undefined, busy: readonly BusyInterval[], nowSec: number): SlotVerdict {
  if (!slot) return { bookable: false, slot, spotsLeft: 0, reason: "unknown" };
  if (!slot.inFeed) return { bookable: false, slot, spotsLeft: 0, reason: "withdrawn" };
  if (slot.startSec <= nowSec) return { bookable: false, slot, spotsLeft: 0, reason: "past" };
  if (busy.some((interval) => blocksSlot(interval, slot))) {
    return { bookable: false, slot, spotsLeft: 0, reason: "blocked" };
  }
  const left = spotsLeft(slot);
  if (left === 0) return { bookable: false, slot, spotsLeft: 0, reason: "full" };
  return { bookable: true, slot, spotsLeft: left };
}

/**
 * Judges a lookup that may match several slots (duration 0 matches any duration): the first bookable
 * match wins, otherwise the verdict of the first match, otherwise "unknown".
 */
export function judgeCandidates(
  candidates: readonly InventorySlot[],
  busy: readonly BusyInterval[],
  nowSec: number,
): SlotVerdict {
  let first: SlotVerdict | undefined;
  for (const candidate of candidates) {
    const verdict = judgeSlot(candidate, busy, nowSec);
    if (verdict.bookable) return verdict;
    first ??= verdict;
  }
  return first ?? judgeSlot(undefined, busy, nowSec);
}
