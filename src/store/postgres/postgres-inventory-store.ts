import type { InventorySlot } from "../../booking/inventory.js";
import type { InventoryStore } from "../../booking/inventory-store.js";
import { type SlotRow, slotColumns, slotFromRow } from "../rows/inventory-rows.js";
import { importInventory } from "./inventory-import.js";
import type { PostgresPool } from "./postgres-pool.js";
import { busyIntervals } from "./slot-queries.js";

/**
 * The PostgreSQL inventory port: feed import in one transaction, listings for export and the demo. Text
 * sorts by byte ("C"), as in SQLite, so an export lists slots in the same order on both.
 */
export function createPostgresInventoryStore(pool: PostgresPool): InventoryStore {
  const read = { readOnly: true };
  return {
    importInventory: (plan) => pool.transaction((sql) => importInventory(sql, plan)),
    listFutureSlots: (nowSec) =>
      pool.transaction(async (sql): Promise<InventorySlot[]> => {
        const rows = await sql.rows<SlotRow>(
          `SELECT ${slotColumns} FROM slot s WHERE s.in_feed = 1 AND s.start_sec > $1
            ORDER BY s.merchant_id COLLATE "C", s.service_id COLLATE "C", s.start_sec, s.staff_id COLLATE "C",
              s.room_id COLLATE "C", s.party_size, s.duration_sec`,
          [nowSec],
        );
        return rows.map(slotFromRow);
      }, read),
    isEmpty: () => pool.transaction(async (sql) => !(await sql.row("SELECT 1 FROM slot LIMIT 1")), read),
    busyIntervals: (merchantId, fromSec, toSec) =>
      pool.transaction((sql) => busyIntervals(sql, merchantId, fromSec, toSec), read),
  };
}
