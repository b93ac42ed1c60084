import type { InventorySlot, MerchantPolicy, SlotKey, SlotQuery } from "../../booking/inventory.js";
import {
  type BusyRow,
  busyIntervalFromRow,
  type MerchantRow,
  merchantPolicyFromRow,
  type ServiceRow,
  type SlotRow,
  servicePolicyFromRow,
  slotColumns,
  slotFromRow,
} from "../rows/inventory-rows.js";
import type { Sql } from "./postgres-pool.js";

const byKey = `SELECT ${slotColumns} FROM slot s WHERE merchant_id = $1 AND service_id = $2 AND start_sec = $3
  AND staff_id = $4 AND room_id = $5 AND party_size = $6 AND duration_sec = $7`;

// Every query of a lookup in one round trip; duration 0 in a query matches any duration.
const byKeys = `SELECT q.i, ${slotColumns}
  FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::int[], $7::bigint[])
    WITH ORDINALITY AS q (merchant_id, service_id, start_sec, staff_id, room_id, party_size, duration_sec, i)
  JOIN slot s ON s.merchant_id = q.merchant_id AND s.service_id = q.service_id AND s.start_sec = q.start_sec
    AND s.staff_id = q.staff_id AND s.room_id = q.room_id AND s.party_size = q.party_size
    AND (q.duration_sec = 0 OR s.duration_sec = q.duration_sec)
  ORDER BY q.i, s.duration_sec`;

/** The slot with exactly this key. */
export async function findSlot(sql: Sql, key: SlotKey): Promise<InventorySlot | undefined> {
  const row = await sql.row<SlotRow>(byKey, [
    key.merchantId,
    key.serviceId,
    key.startSec,
    key.staffId,
    key.roomId,
    key.partySize,
    key.durationSec,
  ]);
  return row ? slotFromRow(row) : undefined;
}

/** The slots matching each query, in query order. */
export async function findSlots(sql: Sql, queries: readonly SlotQuery[]): Promise<InventorySlot[][]> {
  const found: InventorySlot[][] = queries.map(() => []);
  if (queries.length === 0) return found;
  const column = <K extends keyof SlotQuery>(key: K) => queries.map((query) => query[key]);
  const rows = await sql.rows<SlotRow & { i: number }>(byKeys, [
    column("merchantId"),
    column("serviceId"),
    column("startSec"),
    column("staffId"),
    column("roomId"),
    column("partySize"),
    column("durationSec"),
  ]);
  for (const row of rows) found[row.i - 1]?.push(slotFromRow(row));
  return found;
}

/** The guard against overbooking: the spot is taken only when one is left, in the same statement. */
export async function takeSpot(sql: Sql, slotId: number): Promise<boolean> {
  const changed = await sql.run(
    `UPDATE slot SET spots_booked = spots_booked + 1
      WHERE slot_id = $1 AND spots_booked + spots_external < spots_total`,
    [slotId],
  );
  return changed === 1;
}

export async function releaseSpot(sql: Sql, slotId: number): Promise<void> {
  await sql.run("UPDATE slot SET spots_booked = spots_booked - 1 WHERE slot_id = $1 AND spots_booked > 0", [slotId]);
}

/** Busy intervals of a merchant overlapping [fromSec, toSec). */
export async function busyIntervals(sql: Sql, merchantId: string, fromSec: number, toSec: number) {
  const rows = await sql.rows<BusyRow>(
    `SELECT merchant_id, resource_kind, resource_id, start_sec, end_sec FROM busy_interval
      WHERE merchant_id = $1 AND start_sec < $2 AND end_sec > $3`,
    [merchantId, toSec, fromSec],
  );
  return rows.map(busyIntervalFromRow);
}

export async function merchantPolicy(sql: Sql, merchantId: string): Promise<MerchantPolicy | undefined> {
  const row = await sql.row<MerchantRow>("SELECT * FROM merchant WHERE merchant_id = $1", [merchantId]);
  return row ? merchantPolicyFromRow(row) : undefined;
}

export async function merchantPolicies(sql: Sql): Promise<MerchantPolicy[]> {
  const rows = await sql.rows<MerchantRow>('SELECT * FROM merchant ORDER BY merchant_id COLLATE "C"');
  return rows.map(merchantPolicyFromRow);
}

export async function servicePolicy(sql: Sql, merchantId: string, serviceId: string) {
  const row = await sql.row<ServiceRow>("SELECT * FROM service WHERE merchant_id = $1 AND service_id = $2", [
    merchantId,
    serviceId,
  ]);
  return row ? servicePolicyFromRow(row) : undefined;
}
