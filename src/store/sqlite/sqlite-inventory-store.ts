import type { InventoryImport, InventoryStore } from "../../booking/inventory-store.js";
import { type ConnectionGate, gatedCalls } from "./connection-gate.js";
import { importInventory } from "./inventory-import.js";
import { inventoryIsEmpty, listFutureSlots } from "./inventory-listing.js";
import type { SqliteDatabase } from "./open-database.js";
import { createSlotTable } from "./slot-table.js";

/** The SQLite inventory port: feed import in one IMMEDIATE transaction, listings for export and demo. */
export function createSqliteInventoryStore(db: SqliteDatabase, gate: ConnectionGate): InventoryStore {
  const slots = createSlotTable(db);
  const guarded = gatedCalls(gate);
  return {
    importInventory: guarded((plan: InventoryImport) => importInventory(db, plan)),
    listFutureSlots: guarded((nowSec: number) => listFutureSlots(db, nowSec)),
    isEmpty: guarded(() => inventoryIsEmpty(db)),
    busyIntervals: guarded(slots.busyIntervals),
  };
}
