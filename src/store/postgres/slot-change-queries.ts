import { randomBytes } from "node:crypto";
import type { InventorySlot, SlotKey, SlotListQuery, SlotSpec } from "../../booking/inventory.js";
import type { NewManualBlock, StoredManualBlock } from "../../booking/manual-block.js";
import type { BusyIntervalRow } from "../rows/busy-interval-row.js";
import { type SlotRow, slotColumns, slotFromRow } from "../rows/inventory-rows.js";
import { busyConflictTable } from "./busy-conflict-queries.js";
import { busyIntervalTable } from "./busy-interval-queries.js";
import type { Sql } from "./postgres-pool.js";

const bareSlotColumns = slotColumns.replaceAll("s.", "");

/** A page of a merchant's slots, by start time then slot id. */
export async function listSlots(sql: Sql, query: SlotListQuery): Promise<InventorySlot[]> {
  const rows = await sql.rows<SlotRow>(
    `SELECT ${slotColumns} FROM slot s WHERE merchant_id = $1 AND ($2::text IS NULL OR service_id = $2)
       AND start_sec >= $3 AND start_sec < $4 AND (start_sec, slot_id) > ($5::bigint, $6::bigint)
     ORDER BY start_sec, slot_id LIMIT $7`,
    [
      query.merchantId,
      query.serviceId ?? null,
      query.fromSec ?? Number.MIN_SAFE_INTEGER,
      query.toSec ?? Number.MAX_SAFE_INTEGER,
      query.after?.startSec ?? Number.MIN_SAFE_INTEGER,
      query.after?.slotId ?? Number.MIN_SAFE_INTEGER,
      query.limit,
    ],
  );
  return rows.map(slotFromRow);
}

/** Future slots of a merchant whose time overlaps [fromSec, toSec). */
export async function slotsOverlapping(
  sql: Sql,
  merchantId: string,
  fromSec: number,
  toSec: number,
  nowSec: number,
): Promise<InventorySlot[]> {
  const rows = await sql.rows<SlotRow>(
    `SELECT ${slotColumns} FROM slot s WHERE merchant_id = $1 AND start_sec < $2
       AND start_sec + duration_sec > $3 AND start_sec > $4 ORDER BY start_sec, slot_id`,
    [merchantId, toSec, fromSec, nowSec],
  );
  return rows.map(slotFromRow);
}

/** The slot with this key, its row locked until the transaction ends (takeSpot on it waits). */
export async function lockSlot(sql: Sql, key: SlotKey): Promise<InventorySlot | undefined> {
  const row = await sql.row<SlotRow>(
    `SELECT ${slotColumns} FROM slot s WHERE merchant_id = $1 AND service_id = $2 AND start_sec = $3
       AND staff_id = $4 AND room_id = $5 AND party_size = $6 AND duration_sec = $7 FOR UPDATE`,
    [key.merchantId, key.serviceId, key.startSec, key.staffId, key.roomId, key.partySize, key.durationSec],
  );
  return row ? slotFromRow(row) : undefined;
}

/** Creates the slot (with its merchant and service when new) or sets its capacity; in the feed either way. */
export async function saveSlot(sql: Sql, spec: SlotSpec): Promise<InventorySlot> {
  await sql.run("INSERT INTO merchant (merchant_id) VALUES ($1) ON CONFLICT DO NOTHING", [spec.merchantId]);
  await sql.run("INSERT INTO service (merchant_id, service_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [
    spec.merchantId,
    spec.serviceId,
  ]);
  const row = await sql.row<SlotRow>(
    `INSERT INTO slot (merchant_id, service_id, start_sec, duration_sec, staff_id, room_id, party_size, spots_total,
       spots_external)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (merchant_id, service_id, start_sec, staff_id, room_id, party_size, duration_sec) DO UPDATE SET
       spots_total = excluded.spots_total, spots_external = excluded.spots_external, in_feed = 1
     RETURNING ${bareSlotColumns}`,
    [
      spec.merchantId,
      spec.serviceId,
      spec.startSec,
      spec.durationSec,
      spec.staffId,
      spec.roomId,
      spec.partySize,
      spec.spotsTotal,
      spec.spotsExternal,
    ],
  );
  if (!row) throw new Error("saving a slot returned no row");
  return slotFromRow(row);
}

/** Deletes a slot no booking refers to; otherwise takes it out of the feed. */
export async function removeSlot(sql: Sql, slotId: number): Promise<"deleted" | "withdrawn"> {
  const deleted = await sql.run(
    "DELETE FROM slot WHERE slot_id = $1 AND NOT EXISTS (SELECT 1 FROM booking b WHERE b.slot_id = slot.slot_id)",
    [slotId],
  );
  if (deleted > 0) return "deleted";
  await sql.run("UPDATE slot SET in_feed = 0 WHERE slot_id = $1", [slotId]);
  return "withdrawn";
}

/** Stores a manual block and records the bookings it overlaps as conflicts. */
export async function insertBlock(sql: Sql, block: NewManualBlock, nowSec: number): Promise<StoredManualBlock> {
  const blockId = `blk_${randomBytes(6).toString("hex")}`;
  const row: BusyIntervalRow = { ...block, source: "block", sourceRef: blockId };
  await busyIntervalTable(sql).upsert(row);
  await busyConflictTable(sql).reconcile(row, nowSec);
  return { ...block, blockId };
}

/** Removes a manual block and clears its conflicts; undefined when there is none. */
export async function deleteBlock(sql: Sql, blockId: string, nowSec: number): Promise<StoredManualBlock | undefined> {
  const removed = await busyIntervalTable(sql).removeBlock(blockId);
  if (removed) await busyConflictTable(sql).clear("block", blockId, nowSec);
  return removed;
}
