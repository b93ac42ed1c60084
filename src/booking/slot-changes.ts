import { type Actor, type AuditAction, type NewAuditEntry, slotAuditState } from "./audit-entry.js";
import { blocksSlot } from "./availability-rule.js";
import { BookingError } from "./booking-error.js";
import type { BookingWriter } from "./booking-store.js";
import { checkSlotEtag } from "./etag.js";
import { type InventorySlot, type SlotKey, type SlotSpec, slotEndSec } from "./inventory.js";
import { availabilityNotification, type NewNotification } from "./outbox-entry.js";

/** A slot to create or change, with the etag it was read with (empty: no check). */
export interface SlotUpsert extends SlotSpec {
  etag: string;
}

/** A slot to withdraw, with the etag it was read with (empty: no check). */
export interface SlotRemoval extends SlotKey {
  etag: string;
}

/** Who changes slots, and when. */
export interface SlotChangeContext {
  actor: Actor;
  nowSec: number;
}

/** What a replacement of one service's availability changed (the feed import's counts). */
export interface ReplaceReport {
  inserted: number;
  updated: number;
  withdrawn: number;
  deleted: number;
}

/** The future slots of one service in [fromSec, toSec) become exactly `slots`. */
export interface ServiceAvailabilityReplacement {
  merchantId: string;
  serviceId: string;
  fromSec: number;
  toSec: number;
  slots: SlotUpsert[];
}

/**
 * Writes a slot change's audit entry and, for a future slot, its availability update, in the change's
 * transaction. A slot a busy interval blocks is announced with no open spot, as the availability rule
 * answers it.
 */
export async function recordSlotChange(
  writer: BookingWriter,
  context: SlotChangeContext,
  action: AuditAction,
  before: InventorySlot | undefined,
  after: InventorySlot,
): Promise<void> {
  const entry: NewAuditEntry = {
    atSec: context.nowSec,
    actor: context.actor,
    action,
    bookingId: "",
    merchantId: after.merchantId,
    ...(before ? { before: slotAuditState(before) } : {}),
    ...(action === "slot.deleted" ? {} : { after: slotAuditState(after) }),
    reason: "",
  };
  await writer.appendAudit(entry);
  await announceSlot(writer, after, context.nowSec);
}

/** Queues the availability update of a future slot as it now stands (blocks included). */
export async function announceSlot(writer: BookingWriter, slot: InventorySlot, nowSec: number): Promise<void> {
  if (slot.startSec <= nowSec) return;
  await writer.enqueueNotification(await currentAvailability(writer, slot, nowSec));
}

/** The availability update of a slot as it now stands: a slot a busy interval blocks has no open spot. */
export async function currentAvailability(
  writer: BookingWriter,
  slot: InventorySlot,
  nowSec: number,
): Promise<NewNotification> {
  const busy = await writer.busyIntervals(slot.merchantId, slot.startSec, slotEndSec(slot));
  const blocked = busy.some((interval) => blocksSlot(interval, slot));
  return availabilityNotification(slot, nowSec, blocked);
}

/**
 * Creates or changes one slot under its etag; a slot whose capacity already is what was asked for is
 * left alone (no audit entry, no update). Answers the slot as it now stands.
 */
export async function upsertSlot(
  writer: BookingWriter,
  request: SlotUpsert,
  context: SlotChangeContext,
): Promise<{ slot: InventorySlot; change: "inserted" | "updated" | "unchanged" }> {
  const before = await writer.lockSlot(request);
  checkSlotEtag(before, request.etag);
  if (before?.inFeed && before.spotsTotal === request.spotsTotal && before.spotsExternal === request.spotsExternal) {
    return { slot: before, change: "unchanged" };
  }
  const { etag: _etag, ...spec } = request;
  const after = await writer.saveSlot(spec);
  await recordSlotChange(writer, context, before ? "slot.updated" : "slot.created", before, after);
  return { slot: after, change: before ? "updated" : "inserted" };
}

/** Withdraws one slot under its etag: deleted when no booking holds it, else kept, not bookable. */
export async function removeSlot(
  writer: BookingWriter,
  request: SlotRemoval,
  context: SlotChangeContext,
): Promise<"deleted" | "withdrawn"> {
  const before = await writer.lockSlot(request);
  if (!before) throw new BookingError("SLOT_NOT_FOUND", "no slot with this key exists");
  checkSlotEtag(before, request.etag);
  return withdraw(writer, before, context);
}

async function withdraw(
  writer: BookingWriter,
  before: InventorySlot,
  context: SlotChangeContext,
): Promise<"deleted" | "withdrawn"> {
  const outcome = await writer.removeSlot(before.slotId);
  // A slot already out of the feed and still held by bookings did not change.
  if (outcome === "withdrawn" && !before.inFeed) return outcome;
  const after = { ...before, inFeed: false };
  await recordSlotChange(writer, context, outcome === "deleted" ? "slot.deleted" : "slot.withdrawn", before, after);
  return outcome;
}

/**
 * Replaces one service's future availability in a range as an availability feed does: the offered slots
 * are created or updated (and in the feed again), every other future slot of the service in the range
 * leaves the feed, deleted unless a booking holds it, which keeps it (not bookable) for its bookings.
 * Offered slots that already started are skipped, as a feed's are.
 */
export async function replaceServiceAvailability(
  writer: BookingWriter,
  request: ServiceAvailabilityReplacement,
  context: SlotChangeContext,
): Promise<ReplaceReport> {
  const report: ReplaceReport = { inserted: 0, updated: 0, withdrawn: 0, deleted: 0 };
  const existing = await writer.listSlots({
    merchantId: request.merchantId,
    serviceId: request.serviceId,
    fromSec: Math.max(request.fromSec, context.nowSec + 1),
    toSec: request.toSec,
    limit: Number.MAX_SAFE_INTEGER,
  });
  const offered = new Set<number>();
  for (const slot of request.slots) {
    if (slot.startSec <= context.nowSec) continue;
    const { slot: saved, change } = await upsertSlot(writer, slot, context);
    offered.add(saved.slotId);
    if (change === "inserted") report.inserted += 1;
    else report.updated += 1;
  }
  for (const slot of existing) {
    if (offered.has(slot.slotId)) continue;
    const outcome = await withdraw(writer, slot, context);
    report[outcome] += 1;
  }
  return report;
}
