import type { BusyInterval, InventorySlot, MerchantPolicy, ServicePolicy } from "../../booking/inventory.js";

/** A slot row as both stores read it (PostgreSQL bigints are read as numbers). */
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

/**
 * A slot as one JSON array that SQLite builds (`json_array(${slotColumns})`), in the order of
 * `slotColumns`: reading many slots as one JSON document is far cheaper than materialising each row.
 */
export type SlotJsonArray = [
  slotId: number,
  merchantId: string,
  serviceId: string,
  startSec: number,
  durationSec: number,
  staffId: string,
  roomId: string,
  partySize: number,
  spotsTotal: number,
  spotsExternal: number,
  spotsBooked: number,
  confirmationMode: InventorySlot["confirmationMode"],
  availabilityTag: string,
  inFeed: number,
];

/** The slot columns as one JSON array, for SQLite's JSON reads (see `SlotJsonArray`). */
export const slotJsonArray = `json_array(${slotColumns})`;

/** Maps a `SlotJsonArray` to the domain's slot. */
export function slotFromJsonArray(a: SlotJsonArray): InventorySlot {
  return {
    slotId: a[0],
    merchantId: a[1],
    serviceId: a[2],
    startSec: a[3],
    durationSec: a[4],
    staffId: a[5],
    roomId: a[6],
    partySize: a[7],
    spotsTotal: a[8],
    spotsExternal: a[9],
    spotsBooked: a[10],
    confirmationMode: a[11],
    availabilityTag: a[12],
    inFeed: a[13] === 1,
  };
}

export interface BusyRow {
  merchant_id: string;
  resource_kind: BusyInterval["resourceKind"];
  resource_id: string;
  start_sec: number;
  end_sec: number;
}

export interface MerchantRow {
  merchant_id: string;
  name: string;
  time_zone: string;
  max_active_bookings_per_user: number;
  forbid_overlapping: number;
}

export interface ServiceRow {
  merchant_id: string;
  service_id: string;
  min_advance_cancellation_sec: number;
  prepayment_price_micros: number | null;
  prepayment_currency_code: string | null;
  refund_window_sec: number;
}

/** The domain interval of a busy_interval row. */
export function busyIntervalFromRow(row: BusyRow): BusyInterval {
  return {
    merchantId: row.merchant_id,
    resourceKind: row.resource_kind,
    resourceId: row.resource_id,
    startSec: row.start_sec,
    endSec: row.end_sec,
  };
}

/** The merchant's policy of a merchant row. */
export function merchantPolicyFromRow(row: MerchantRow): MerchantPolicy {
  return {
    merchantId: row.merchant_id,
    name: row.name,
    timeZone: row.time_zone,
    maxActiveBookingsPerUser: row.max_active_bookings_per_user,
    forbidOverlapping: row.forbid_overlapping === 1,
  };
}

/** The service's policy of a service row. */
export function servicePolicyFromRow(row: ServiceRow): ServicePolicy {
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
