import type { InventorySlot } from "../../booking/inventory.js";
import { type SlotRow, slotColumns, slotFromRow } from "../rows/inventory-rows.js";
import type { SqliteDatabase } from "./open-database.js";

/** Every slot still in the feed that starts after nowSec, ordered by merchant, service and start. */
export function listFutureSlots(db: SqliteDatabase, nowSec: number): InventorySlot[] {
  return db
    .prepare<[number], SlotRow>(
      `SELECT ${slotColumns} FROM slot s WHERE s.in_feed = 1 AND s.start_sec > ?
        ORDER BY s.merchant_id, s.service_id, s.start_sec, s.staff_id, s.room_id, s.party_size, s.duration_sec`,
    )
    .all(nowSec)
    .map(slotFromRow);
}

/** True when the database holds no slot at all (a fresh install). */
export function inventoryIsEmpty(db: SqliteDatabase): boolean {
  return db.prepare("SELECT EXISTS (SELECT 1 FROM slot)").pluck().get() === 0;
}
