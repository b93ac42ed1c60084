import type {
  BusyInterval,
  InventorySlot,
  MerchantPolicy,
  ServicePolicy,
  SlotKey,
  SlotQuery,
} from "../../booking/inventory.js";
import {
  type BusyRow,
  busyIntervalFromRow,
  type MerchantRow,
  merchantPolicyFromRow,
  type ServiceRow,
  type SlotJsonArray,
  type SlotRow,
  servicePolicyFromRow,
  slotColumns,
  slotFromJsonArray,
  slotFromRow,
  slotJsonArray,
} from "../rows/inventory-rows.js";
import type { SqliteDatabase } from "./open-database.js";

type KeyParams = [string, string, number, string, string, number];

/** Prepared statements over slots, policies and busy intervals, prepared once per connection. */
export function createSlotTable(db: SqliteDatabase) {
  const byKey = db.prepare<[...KeyParams, number], SlotRow>(
    `SELECT ${slotColumns} FROM slot s WHERE merchant_id = ? AND service_id = ? AND start_sec = ?
       AND staff_id = ? AND room_id = ? AND party_size = ? AND duration_sec = ?`,
  );
  const anyDuration = db.prepare<KeyParams, SlotRow>(
    `SELECT ${slotColumns} FROM slot s WHERE merchant_id = ? AND service_id = ? AND start_sec = ?
       AND staff_id = ? AND room_id = ? AND party_size = ? ORDER BY duration_sec`,
  );
  // The guard against overbooking: the UPDATE only happens when a spot is left, in the same statement.
  const take = db.prepare<[number]>(
    `UPDATE slot SET spots_booked = spots_booked + 1
      WHERE slot_id = ? AND spots_booked + spots_external < spots_total`,
  );
  const release = db.prepare<[number]>(
    "UPDATE slot SET spots_booked = spots_booked - 1 WHERE slot_id = ? AND spots_booked > 0",
  );
  const busy = db.prepare<[string, number, number], BusyRow>(
    `SELECT merchant_id, resource_kind, resource_id, start_sec, end_sec FROM busy_interval
      WHERE merchant_id = ? AND start_sec < ? AND end_sec > ? ORDER BY start_sec, id`,
  );
  const merchant = db.prepare<[string], MerchantRow>("SELECT * FROM merchant WHERE merchant_id = ?");
  const merchants = db.prepare<[], MerchantRow>("SELECT * FROM merchant ORDER BY merchant_id");
  const service = db.prepare<[string, string], ServiceRow>(
    "SELECT * FROM service WHERE merchant_id = ? AND service_id = ?",
  );
  // Bounded by LIMIT: a range that holds far more slots than were asked about is read slot by slot instead.
  // The range comes back as one JSON document (built natively, parsed once): far cheaper per slot than
  // materialising each row, which is most of a keyed query's cost too.
  const inRange = db
    .prepare<[string, number, number, number], string>(
      `SELECT json_group_array(${slotJsonArray}) FROM (
         SELECT * FROM slot WHERE merchant_id = ? AND start_sec BETWEEN ? AND ? LIMIT ?) AS s`,
    )
    .pluck();
  const keyParams = (key: SlotKey): KeyParams => [
    key.merchantId,
    key.serviceId,
    key.startSec,
    key.staffId,
    key.roomId,
    key.partySize,
  ];

  return {
    findSlot(key: SlotKey): InventorySlot | undefined {
      const row = byKey.get(...keyParams(key), key.durationSec);
      return row ? slotFromRow(row) : undefined;
    },
    findSlots(queries: readonly SlotQuery[]): InventorySlot[][] {
      const findOne = (query: SlotQuery): InventorySlot[] => {
        if (query.durationSec > 0) {
          const row = byKey.get(...keyParams(query), query.durationSec);
          return row ? [slotFromRow(row)] : [];
        }
        return anyDuration.all(...keyParams(query)).map(slotFromRow);
      };
      if (queries.length < rangeLookupMin) return queries.map(findOne);
      // Many slots of a merchant: one range read per merchant, fetched as arrays, matched in memory. Per
      // slot this is ~4x cheaper than a keyed query, whose cost is mostly building the row object.
      const ranges = new Map<string, { from: number; to: number; count: number }>();
      for (const query of queries) {
        const range = ranges.get(query.merchantId);
        if (range) {
          range.from = Math.min(range.from, query.startSec);
          range.to = Math.max(range.to, query.startSec);
          range.count += 1;
        } else ranges.set(query.merchantId, { from: query.startSec, to: query.startSec, count: 1 });
      }
      // Per merchant: the slots of the range by start time (numbers key a Map cheaply), matched in memory.
      const indexes = new Map<string, Map<number, InventorySlot[]>>();
      for (const [merchantId, range] of ranges) {
        const limit = range.count * 8 + 64;
        const slotsInRange = JSON.parse(
          inRange.get(merchantId, range.from, range.to, limit + 1) ?? "[]",
        ) as SlotJsonArray[];
        if (slotsInRange.length > limit) continue;
        const index = new Map<number, InventorySlot[]>();
        for (const row of slotsInRange) {
          const slot = slotFromJsonArray(row);
          const same = index.get(slot.startSec);
          if (same) same.push(slot);
          else index.set(slot.startSec, [slot]);
        }
        indexes.set(merchantId, index);
      }
      return queries.map((query) => {
        const index = indexes.get(query.merchantId);
        if (!index) return findOne(query);
        const found = slotsMatching(index.get(query.startSec) ?? [], query);
        // Unique keys: one match at most for a given duration; any duration lists them shortest first.
        return found.length > 1 ? found.sort((a, b) => a.durationSec - b.durationSec) : found;
      });
    },
    takeSpot(slotId: number): boolean {
      return take.run(slotId).changes === 1;
    },
    releaseSpot(slotId: number): void {
      release.run(slotId);
    },
    busyIntervals(merchantId: string, fromSec: number, toSec: number): BusyInterval[] {
      return busy.all(merchantId, toSec, fromSec).map(busyIntervalFromRow);
    },
    merchantPolicy(merchantId: string): MerchantPolicy | undefined {
      const row = merchant.get(merchantId);
      return row ? merchantPolicyFromRow(row) : undefined;
    },
    merchantPolicies(): MerchantPolicy[] {
      return merchants.all().map(merchantPolicyFromRow);
    },
    servicePolicy(merchantId: string, serviceId: string): ServicePolicy | undefined {
      const row = service.get(merchantId, serviceId);
      return row ? servicePolicyFromRow(row) : undefined;
    },
  };
}

/**
 * The slots among `candidates` (slots starting at the query's start) that a lookup query names: same
 * service, staff, room and party size, and its duration unless the query's is 0 (any), in their order.
 */
export function slotsMatching(candidates: readonly InventorySlot[], query: SlotQuery): InventorySlot[] {
  const matches: InventorySlot[] = [];
  for (const slot of candidates) {
    if (
      slot.serviceId === query.serviceId &&
      slot.staffId === query.staffId &&
      slot.roomId === query.roomId &&
      slot.partySize === query.partySize &&
      (query.durationSec === 0 || slot.durationSec === query.durationSec)
    )
      matches.push(slot);
  }
  return matches;
}

/** The statements of one connection's slot table. */
export type SlotTable = ReturnType<typeof createSlotTable>;

/** Below this many queries a lookup runs one keyed query per slot. */
const rangeLookupMin = 16;
