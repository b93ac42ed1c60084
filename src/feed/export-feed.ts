import { judgeSlot, spotsLeft } from "../booking/availability-rule.js";
import type { InventorySlot } from "../booking/inventory.js";
import type { InventoryStore } from "../booking/inventory-store.js";

/** Options of a feed export. */
export interface ExportFeedOptions {
  nowSec: number;
  /** Only slots bookable right now (not full, not blocked), e.g. to hand to a conformance run. */
  availableOnly?: boolean;
}

/**
 * The future inventory as a complete availability feed in Google's JSON shape, one service_availability
 * block per service. spots_open is what is open now, so importing the export back changes nothing.
 */
export async function exportFeed(
  inventory: InventoryStore,
  options: ExportFeedOptions,
): Promise<Record<string, unknown>> {
  const slots = await inventory.listFutureSlots(options.nowSec);
  const blocks = new Map<string, object[]>();
  for (const slot of slots) {
    if (options.availableOnly) {
      const busy = await inventory.busyIntervals(slot.merchantId, slot.startSec, slot.startSec + slot.durationSec);
      if (!judgeSlot(slot, busy, options.nowSec).bookable) continue;
    }
    const key = JSON.stringify([slot.merchantId, slot.serviceId]);
    const block = blocks.get(key) ?? [];
    block.push(toAvailability(slot));
    blocks.set(key, block);
  }
  return {
    metadata: {
      processing_instruction: "PROCESS_AS_COMPLETE",
      shard_number: 0,
      total_shards: 1,
      nonce: String(options.nowSec),
      generation_timestamp: options.nowSec,
    },
    service_availability: [...blocks.values()].map((availability) => ({ availability })),
  };
}

function toAvailability(slot: InventorySlot): Record<string, unknown> {
  const { staffId, roomId, partySize } = slot;
  return {
    merchant_id: slot.merchantId,
    service_id: slot.serviceId,
    start_sec: slot.startSec,
    duration_sec: slot.durationSec,
    spots_total: slot.spotsTotal,
    spots_open: spotsLeft(slot),
    ...(slot.availabilityTag ? { availability_tag: slot.availabilityTag } : {}),
    ...(staffId || roomId || partySize
      ? {
          resources: {
            ...(staffId ? { staff_id: staffId } : {}),
            ...(roomId ? { room_id: roomId } : {}),
            ...(partySize ? { party_size: partySize } : {}),
          },
        }
      : {}),
    ...(slot.confirmationMode !== "UNSPECIFIED"
      ? { confirmation_mode: `CONFIRMATION_MODE_${slot.confirmationMode}` }
      : {}),
  };
}
