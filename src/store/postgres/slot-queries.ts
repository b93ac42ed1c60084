import type {
  BusyInterval,
  InventorySlot,
  MerchantPolicy,
  ServicePolicy,
  SlotKey,
  SlotQuery,
} from "../../booking/inventory.js";
import type { Sql } from "./postgres-pool.js";

/** A slot row as pg returns it (bigint read as number). */
export interface SlotRow {
  slot_id: number;
  merchant_id: string;
  service_id: string;
  start_sec: number;
  duration_sec: number;
  staff_id: string;
  room_id: string;
  party_size: number;
  spots_total: number;
  spots_external: number;
  spots_booked: number;
  confirmation_mode: InventorySlot["confirmationMode"];
  availability_tag: string;
  in_feed: number;
}

/** The slot columns, for SELECTs that join other tables. */
export const slotColumns = `s.slot_id, s.merchant_id, s.service_id, s.start_sec, s.duration_sec, s.staff_id, s.room_id,
  s.party_size, s.spots_total, s.spots_external, s.spots_booked, s.confirmation_mode, s.availability_tag, s.in_feed`;

/** Maps a slot row to the domain's slot. */
export function slotFromRow(row: SlotRow): InventorySlot {
  return {
    slotId: row.slot_id,
    merchantId: row.merchant_id,
    serviceId: row.service_id,
    startSec: row.start_sec,
    durationSec: row.duration_sec,
    staffId: row.staff_id,
    roomId: row.room_id,
    partySize: row.party_size,
    spotsTotal: row.spots_total,
    spotsExternal: row.spots_external,
    spotsBooked: row.spots_booked,
    confirmationMode: row.confirmation_mode,
    availabilityTag: row.availability_tag,
    inFeed: row.in_feed === 1,
  };
}

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
  return rows.map(
    (row): BusyInterval => ({
      merchantId: row.merchant_id,
      resourceKind: row.resource_kind,
      resourceId: row.resource_id,
      startSec: row.start_sec,
      endSec: row.end_sec,
    }),
  );
}

export async function merchantPolicy(sql: Sql, merchantId: string): Promise<MerchantPolicy | undefined> {
  const row = await sql.row<MerchantRow>("SELECT * FROM merchant WHERE merchant_id = $1", [merchantId]);
  if (!row) return undefined;
  return {
    merchantId: row.merchant_id,
    name: row.name,
    timeZone: row.time_zone,
    maxActiveBookingsPerUser: row.max_active_bookings_per_user,
    forbidOverlapping: row.forbid_overlapping === 1,
  };
}

export async function servicePolicy(sql: Sql, merchantId: string, serviceId: string) {
  const row = await sql.row<ServiceRow>("SELECT * FROM service WHERE merchant_id = $1 AND service_id = $2", [
    merchantId,
    serviceId,
  ]);
  if (!row) return undefined;
  const policy: ServicePolicy = {
    merchantId: row.merchant_id,
    serviceId: row.service_id,
    minAdvanceCancellationSec: row.min_advance_cancellation_sec,
    refundWindowSec: row.refund_window_sec,
  };
  if (row.prepayment_price_micros !== null && row.prepayment_currency_code !== null) {
    policy.prepayment = { priceMicros: row.prepayment_price_micros, currencyCode: row.prepayment_currency_code };
  }
  return policy;
}

interface BusyRow {
  merchant_id: string;
  resource_kind: BusyInterval["resourceKind"];
  resource_id: string;
  start_sec: number;
  end_sec: number;
}

interface MerchantRow {
  merchant_id: string;
  name: string;
  time_zone: string;
  max_active_bookings_per_user: number;
  forbid_overlapping: number;
}

interface ServiceRow {
  merchant_id: string;
  service_id: string;
  min_advance_cancellation_sec: number;
  prepayment_price_micros: number | null;
  prepayment_currency_code: string | null;
  refund_window_sec: number;
}
