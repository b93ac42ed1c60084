import type { Actor } from "./audit-entry.js";
import { judgeSlot } from "./availability-rule.js";
import { addBlock, removeBlock } from "./block-changes.js";
import type { BookingStore } from "./booking-store.js";
import type { Clock } from "./clock.js";
import { type InventorySlot, type MerchantPolicy, type SlotListQuery, slotEndSec } from "./inventory.js";
import type { NewManualBlock, StoredManualBlock } from "./manual-block.js";
import {
  type ReplaceReport,
  removeSlot,
  replaceServiceAvailability,
  type ServiceAvailabilityReplacement,
  type SlotRemoval,
  type SlotUpsert,
  upsertSlot,
} from "./slot-changes.js";

/**
 * The merchant's side of the inventory: slots and manual blocks. Each call is ONE write transaction
 * holding the changes, their audit entries and the availability updates for the aggregator; a stale
 * slot etag anywhere in a call refuses all of it.
 */
export interface MerchantInventory {
  listSlots(query: SlotListQuery): Promise<InventorySlot[]>;
  /**
   * The page listSlots reads, each slot with whether THE availability rule (judgeSlot: feed, future,
   * blocks and calendar busy time, spots) finds it bookable now; one read, so slots and busy time agree.
   */
  listJudgedSlots(query: SlotListQuery): Promise<JudgedSlot[]>;
  /** Every merchant's policy (name, time zone, ...), by merchant id. */
  listMerchants(): Promise<MerchantPolicy[]>;
  upsertSlots(slots: readonly SlotUpsert[], actor: Actor): Promise<InventorySlot[]>;
  replaceServiceAvailability(request: ServiceAvailabilityReplacement, actor: Actor): Promise<ReplaceReport>;
  deleteSlots(slots: readonly SlotRemoval[], actor: Actor): Promise<{ deleted: number; withdrawn: number }>;
  addBlock(block: NewManualBlock, actor: Actor): Promise<StoredManualBlock>;
  removeBlock(blockId: string, actor: Actor): Promise<StoredManualBlock>;
}

/** A listed slot and the availability rule's verdict on it. */
export interface JudgedSlot {
  slot: InventorySlot;
  bookable: boolean;
}

/** Creates the merchant's side of the inventory over the booking store. */
export function createMerchantInventory(deps: { store: BookingStore; clock: Clock }): MerchantInventory {
  const { store, clock } = deps;
  const context = (actor: Actor) => ({ actor, nowSec: clock.nowSec() });
  return {
    listSlots: (query) => store.read((reader) => reader.listSlots(query)),
    listJudgedSlots: (query) =>
      store.read(async (reader) => {
        const slots = await reader.listSlots(query);
        if (slots.length === 0) return [];
        const fromSec = Math.min(...slots.map((slot) => slot.startSec));
        const toSec = Math.max(...slots.map(slotEndSec));
        const busy = await reader.busyIntervals(query.merchantId, fromSec, toSec);
        const nowSec = clock.nowSec();
        return slots.map((slot) => ({ slot, bookable: judgeSlot(slot, busy, nowSec).bookable }));
      }),
    listMerchants: () => store.read((reader) => reader.merchantPolicies()),
    upsertSlots(slots, actor) {
      const ctx = context(actor);
      return store.write(async (writer) => {
        const done: InventorySlot[] = [];
        for (const slot of slots) done.push((await upsertSlot(writer, slot, ctx)).slot);
        return done;
      });
    },
    replaceServiceAvailability(request, actor) {
      const ctx = context(actor);
      return store.write((writer) => replaceServiceAvailability(writer, request, ctx));
    },
    deleteSlots(slots, actor) {
      const ctx = context(actor);
      return store.write(async (writer) => {
        const counts = { deleted: 0, withdrawn: 0 };
        for (const slot of slots) counts[await removeSlot(writer, slot, ctx)] += 1;
        return counts;
      });
    },
    addBlock(block, actor) {
      const ctx = context(actor);
      return store.write((writer) => addBlock(writer, block, ctx));
    },
    removeBlock(blockId, actor) {
      const ctx = context(actor);
      return store.write((writer) => removeBlock(writer, blockId, ctx));
    },
  };
}
