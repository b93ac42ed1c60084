import type { InventoryStore } from "../../booking/inventory-store.js";
import type { ConnectionGate } from "./connection-gate.js";
import { importInventory } from "./inventory-import.js";
import { inventoryIsEmpty, listFutureSlots } from "./inventory-listing.js";
import type { SqliteDatabase } from "./open-database.js";
import { createSlotTable } from "./slot-table.js";
import { translateStoreError } from "./store-error.js";

/** The SQLite inventory port: feed import in one IMMEDIATE transaction, listings for export and demo. */
export function createSqliteInventoryStore(db: SqliteDatabase, gate: ConnectionGate): InventoryStore {
  const slots = createSlotTable(db);
  const run = async <T>(fn: () => T): Promise<T> => {
    try {
      return await gate.exclusive(fn);
    } catch (error) {
      throw translateStoreError(error);
    }
  };
  return {
    importInventory: (plan) => run(() => importInventory(db, plan)),
    listFutureSlots: (nowSec) => run(() => listFutureSlots(db, nowSec)),
    isEmpty: () => run(() => inventoryIsEmpty(db)),
    busyIntervals: (merchantId, fromSec, toSec) => run(() => slots.busyIntervals(merchantId, fromSec, toSec)),
  };
}
