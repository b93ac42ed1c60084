import type { Booking } from "./booking.js";
import type { InventorySlot } from "./inventory.js";

/** Who made a change: an aggregator's call, a merchant's admin call, a CLI command or a calendar sync. */
export type ActorKind = "aggregator" | "admin" | "cli" | "calendar";

/** The author of a change, as the audit log records it. */
export interface Actor {
  kind: ActorKind;
  /** The aggregator, admin credential user, local user or calendar link. */
  id: string;
}

/** What a change did. */
export type AuditAction =
  | "booking.created"
  | "booking.cancelled"
  | "booking.rescheduled"
  | "booking.confirmed"
  | "booking.declined"
  | "booking.no_show"
  | "slot.created"
  | "slot.updated"
  | "slot.withdrawn"
  | "slot.deleted"
  | "block.added"
  | "block.removed";

/** One audit entry about to be written, in the transaction of the change it records. */
export interface NewAuditEntry {
  atSec: number;
  actor: Actor;
  action: AuditAction;
  /** The booking changed; empty for a slot or block change. */
  bookingId: string;
  merchantId: string;
  /** The state before and after the change; undefined where there was none. */
  before?: object;
  after?: object;
  reason: string;
}

/** A stored audit entry. */
export interface AuditEntry extends NewAuditEntry {
  entryId: number;
}

/** Which audit entries to list: every filter optional, oldest first, after `afterEntryId`. */
export interface AuditQuery {
  bookingId?: string;
  merchantId?: string;
  fromSec?: number;
  toSec?: number;
  afterEntryId?: number;
  limit: number;
}

/** The part of a booking the audit log keeps as its before and after states (no personal data). */
export function auditStateOf(booking: Booking): object {
  const { slot, payment } = booking;
  return {
    status: booking.status,
    slotId: slot.slotId,
    startSec: slot.startSec,
    durationSec: slot.durationSec,
    partySize: slot.partySize,
    staffId: slot.staffId,
    roomId: slot.roomId,
    prepayment: payment.prepayment,
    version: booking.version,
  };
}

/** The audit entry of a booking change, from its state before (if any) and after. */
export function bookingAuditEntry(
  action: AuditAction,
  actor: Actor,
  before: Booking | undefined,
  after: Booking,
  atSec: number,
  reason = "",
): NewAuditEntry {
  return {
    atSec,
    actor,
    action,
    bookingId: after.bookingId,
    merchantId: after.slot.merchantId,
    ...(before ? { before: auditStateOf(before) } : {}),
    after: auditStateOf(after),
    reason,
  };
}

/** The part of a slot the audit log keeps as its before and after states. */
export function slotAuditState(slot: InventorySlot): object {
  return {
    slotId: slot.slotId,
    serviceId: slot.serviceId,
    startSec: slot.startSec,
    durationSec: slot.durationSec,
    staffId: slot.staffId,
    roomId: slot.roomId,
    partySize: slot.partySize,
    spotsTotal: slot.spotsTotal,
    spotsExternal: slot.spotsExternal,
    spotsBooked: slot.spotsBooked,
    inFeed: slot.inFeed,
  };
}
