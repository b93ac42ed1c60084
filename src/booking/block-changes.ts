import type { Actor, AuditAction } from "./audit-entry.js";
import { blocksSlot } from "./availability-rule.js";
import { BookingError } from "./booking-error.js";
import type { BookingWriter } from "./booking-store.js";
import type { NewManualBlock, StoredManualBlock } from "./manual-block.js";
import { announceSlot } from "./slot-changes.js";

/** Who changes blocks, and when. */
export interface BlockChangeContext {
  actor: Actor;
  nowSec: number;
}

/**
 * Adds a manual block in one write: the block, its audit entry and an availability update for every
 * future slot it blocks. Bookings already made stay (they are recorded as conflicts).
 */
export async function addBlock(
  writer: BookingWriter,
  block: NewManualBlock,
  context: BlockChangeContext,
): Promise<StoredManualBlock> {
  const stored = await writer.insertBlock(block, context.nowSec);
  await recordBlockChange(writer, context, "block.added", stored);
  return stored;
}

/** Removes a manual block in one write, with its audit entry and the updates of the slots it freed. */
export async function removeBlock(
  writer: BookingWriter,
  blockId: string,
  context: BlockChangeContext,
): Promise<StoredManualBlock> {
  const removed = await writer.deleteBlock(blockId, context.nowSec);
  if (!removed) throw new BookingError("BLOCK_NOT_FOUND", "no block with this block_id exists");
  await recordBlockChange(writer, context, "block.removed", removed);
  return removed;
}

async function recordBlockChange(
  writer: BookingWriter,
  context: BlockChangeContext,
  action: AuditAction,
  block: StoredManualBlock,
): Promise<void> {
  await writer.appendAudit({
    atSec: context.nowSec,
    actor: context.actor,
    action,
    bookingId: "",
    merchantId: block.merchantId,
    ...(action === "block.added" ? { after: block } : { before: block }),
    reason: block.note,
  });
  const slots = await writer.slotsOverlapping(block.merchantId, block.startSec, block.endSec, context.nowSec);
  for (const slot of slots) {
    // announceSlot judges the slot against the busy intervals as they now stand (other blocks included).
    if (blocksSlot(block, slot)) await announceSlot(writer, slot, context.nowSec);
  }
}
