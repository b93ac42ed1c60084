import { randomBytes } from "node:crypto";
import type { InventorySlot, SlotListQuery, SlotSpec } from "../../booking/inventory.js";
import type { NewManualBlock, StoredManualBlock } from "../../booking/manual-block.js";
import type { BusyIntervalRow } from "../rows/busy-interval-row.js";
import { type SlotRow, slotColumns, slotFromRow } from "../rows/inventory-rows.js";
import { createBusyIntervalConflictTable } from "./busy-interval-conflict-table.js";
import { createBusyIntervalTable } from "./busy-interval-table.js";
import type { SqliteDatabase } from "./open-database.js";

/**
 * Statements for the merchant's own changes of slots and manual blocks, run inside a booking-store
 * write so their audit entries and availability updates commit with them.
 */
export function createSlotChangeTable(db: SqliteDatabase) {
  const list = db.prepare<Record<string, unknown>, SlotRow>(
    `SELECT ${slotColumns} FROM slot s WHERE merchant_id = @merchantId
       AND (@serviceId IS NULL OR service_id = @serviceId) AND start_sec >= @fromSec AND start_sec < @toSec
       AND (start_sec, slot_id) > (@afterStart, @afterId)
     ORDER BY start_sec, slot_id LIMIT @limit`,
  );
  const overlapping = db.prepare<[string, number, number, number], SlotRow>(
    `SELECT ${slotColumns} FROM slot s WHERE merchant_id = ? AND start_sec < ? AND start_sec + duration_sec > ?
       AND start_sec > ? ORDER BY start_sec, slot_id`,
  );
  const ensureMerchant = db.prepare<[string]>("INSERT OR IGNORE INTO merchant (merchant_id) VALUES (?)");
  const ensureService = db.prepare<[string, string]>(
    "INSERT OR IGNORE INTO service (merchant_id, service_id) VALUES (?, ?)",
  );
  const save = db.prepare<[SlotSpec], SlotRow>(
    `INSERT INTO slot AS s (merchant_id, service_id, start_sec, duration_sec, staff_id, room_id, party_size,
       spots_total, spots_external)
     VALUES (@merchantId, @serviceId, @startSec, @durationSec, @staffId, @roomId, @partySize, @spotsTotal,
       @spotsExternal)
     ON CONFLICT (merchant_id, service_id, start_sec, staff_id, room_id, party_size, duration_sec) DO UPDATE SET
       spots_total = excluded.spots_total, spots_external = excluded.spots_external, in_feed = 1
     RETURNING ${slotColumns.replaceAll("s.", "")}`,
  );
  const deleteUnbooked = db.prepare<[number]>(
    "DELETE FROM slot WHERE slot_id = ? AND NOT EXISTS (SELECT 1 FROM booking b WHERE b.slot_id = slot.slot_id)",
  );
  const withdraw = db.prepare<[number]>("UPDATE slot SET in_feed = 0 WHERE slot_id = ?");
  const intervals = createBusyIntervalTable(db);
  const conflicts = createBusyIntervalConflictTable(db);

  return {
    listSlots(query: SlotListQuery): InventorySlot[] {
      return list
        .all({
          merchantId: query.merchantId,
          serviceId: query.serviceId ?? null,
          fromSec: query.fromSec ?? Number.MIN_SAFE_INTEGER,
          toSec: query.toSec ?? Number.MAX_SAFE_INTEGER,
          afterStart: query.after?.startSec ?? Number.MIN_SAFE_INTEGER,
          afterId: query.after?.slotId ?? Number.MIN_SAFE_INTEGER,
          limit: query.limit,
        })
        .map(slotFromRow);
    },
    slotsOverlapping(merchantId: string, fromSec: number, toSec: number, nowSec: number): InventorySlot[] {
      return overlapping.all(merchantId, toSec, fromSec, nowSec).map(slotFromRow);
    },
    saveSlot(spec: SlotSpec): InventorySlot {
      ensureMerchant.run(spec.merchantId);
      ensureService.run(spec.merchantId, spec.serviceId);
      const row = save.get(spec);
      if (!row) throw new Error("saving a slot returned no row");
      return slotFromRow(row);
    },
    removeSlot(slotId: number): "deleted" | "withdrawn" {
      if (deleteUnbooked.run(slotId).changes > 0) return "deleted";
      withdraw.run(slotId);
      return "withdrawn";
    },
    insertBlock(block: NewManualBlock, nowSec: number): StoredManualBlock {
      const blockId = `blk_${randomBytes(6).toString("hex")}`;
      const row: BusyIntervalRow = { ...block, source: "block", sourceRef: blockId };
      intervals.upsert(row);
      conflicts.reconcile(row, nowSec);
      return { ...block, blockId };
    },
    deleteBlock(blockId: string, nowSec: number): StoredManualBlock | undefined {
      const block = intervals.getBlock(blockId);
      if (!block) return undefined;
      conflicts.clear("block", blockId, nowSec);
      intervals.remove("block", blockId);
      return block;
    },
  };
}
