import type { BusyInterval, InventorySlot, SlotQuery } from "../../booking/inventory.js";
import {
  type BusyRow,
  busyIntervalFromRow,
  type SlotJsonArray,
  slotFromJsonArray,
  slotJsonArray,
} from "../rows/inventory-rows.js";
import {
  type AvailabilityCache,
  bucketSec,
  type CachedBusyInterval,
  type DayBucket,
  dayOf,
} from "./availability-cache.js";
import type { SqliteDatabase } from "./open-database.js";
import { type SlotTable, slotsMatching } from "./slot-table.js";

/** Limits of what one lookup loads into the cache. */
export interface CachedAvailabilityReadsOptions {
  /** A day of a merchant holding more slots than this is never cached (its lookups read through). */
  maxDaySlots?: number;
  /** A read needing more days than this (to check or to load) reads through. */
  maxLoadDays?: number;
}

/** The lookup's two reads (findSlots, busyIntervals), answered from the cache when it is current. */
export interface CachedAvailabilityReads {
  findSlots(queries: readonly SlotQuery[]): InventorySlot[][];
  busyIntervals(merchantId: string, fromSec: number, toSec: number): BusyInterval[];
}

const noSlots: readonly InventorySlot[] = Object.freeze([]);

/** Consecutive days loaded by one range read, at most. */
const maxRunDays = 32;

/** The bucket of a day too large to cache, remembered so that its lookups skip the load until it changes. */
const tooLarge = (version: number): DayBucket =>
  Object.freeze({ version, complete: false, slotsByStart: new Map(), busy: Object.freeze([]), weight: 1 });

/**
 * findSlots and busyIntervals served from `cache`. Each call reads the merchant's availability version
 * (one point query) in the caller's transaction, so the version and any data read to refill the cache
 * come from one WAL snapshot; a bucket is used only while its version is the current one. Call these
 * only inside a read transaction: a bucket filled from a write's uncommitted rows could outlive a
 * rollback under a version that a later commit reuses. Answers equal `slots`' own, in the same order.
 */
export function createCachedAvailabilityReads(
  db: SqliteDatabase,
  slots: SlotTable,
  cache: AvailabilityCache,
  options: CachedAvailabilityReadsOptions = {},
): CachedAvailabilityReads {
  const maxDaySlots = options.maxDaySlots ?? 2048;
  const maxLoadDays = options.maxLoadDays ?? 62;
  const version = db
    .prepare<[string], number>("SELECT version FROM availability_version WHERE merchant_id = ?")
    .pluck();
  const slotsInDays = db
    .prepare<[string, number, number, number], string>(
      `SELECT json_group_array(${slotJsonArray}) FROM (
         SELECT * FROM slot WHERE merchant_id = ? AND start_sec >= ? AND start_sec < ? LIMIT ?) AS s`,
    )
    .pluck();
  const busyInDays = db.prepare<[string, number, number], BusyRow & { id: number }>(
    `SELECT id, merchant_id, resource_kind, resource_id, start_sec, end_sec FROM busy_interval
      WHERE merchant_id = ? AND start_sec < ? AND end_sec > ? ORDER BY start_sec, id`,
  );
  const versionOf = (merchantId: string) => version.get(merchantId) ?? 0;

  /** Reads days first..last of a merchant into `into` (and the cache); a day too large to cache is incomplete. */
  function load(merchantId: string, current: number, first: number, last: number, into: Map<number, DayBucket>) {
    const days = last - first + 1;
    const limit = maxDaySlots * days;
    const fromSec = first * bucketSec;
    const toSec = (last + 1) * bucketSec;
    const rows = JSON.parse(slotsInDays.get(merchantId, fromSec, toSec, limit + 1) ?? "[]") as SlotJsonArray[];
    if (rows.length > limit) {
      if (days === 1) keep(merchantId, first, tooLarge(current), into);
      else for (let day = first; day <= last; day++) load(merchantId, current, day, day, into);
      return;
    }
    const byDay = new Map<number, Map<number, InventorySlot[]>>();
    const counts = new Map<number, number>();
    for (const row of rows) {
      const slot = Object.freeze(slotFromJsonArray(row));
      const day = dayOf(slot.startSec);
      let byStart = byDay.get(day);
      if (!byStart) {
        byStart = new Map();
        byDay.set(day, byStart);
      }
      const same = byStart.get(slot.startSec);
      if (same) same.push(slot);
      else byStart.set(slot.startSec, [slot]);
      counts.set(day, (counts.get(day) ?? 0) + 1);
    }
    const busyByDay = new Map<number, CachedBusyInterval[]>();
    for (const row of busyInDays.all(merchantId, toSec, fromSec)) {
      const entry: CachedBusyInterval = Object.freeze({
        id: row.id,
        interval: Object.freeze(busyIntervalFromRow(row)),
      });
      const { startSec, endSec } = entry.interval;
      for (let day = Math.max(first, dayOf(startSec)); day <= last && day * bucketSec < endSec; day++) {
        const list = busyByDay.get(day);
        if (list) list.push(entry);
        else busyByDay.set(day, [entry]);
      }
    }
    for (let day = first; day <= last; day++) {
      const slotCount = counts.get(day) ?? 0;
      if (slotCount > maxDaySlots) {
        keep(merchantId, day, tooLarge(current), into);
        continue;
      }
      const byStart = byDay.get(day) ?? new Map<number, InventorySlot[]>();
      // Any duration lists a start's matches shortest first, as the uncached read does.
      for (const same of byStart.values()) if (same.length > 1) same.sort((a, b) => a.durationSec - b.durationSec);
      const busy = busyByDay.get(day) ?? [];
      const bucket: DayBucket = Object.freeze({
        version: current,
        complete: true,
        slotsByStart: byStart,
        busy: Object.freeze(busy),
        weight: slotCount + busy.length + 1,
      });
      keep(merchantId, day, bucket, into);
    }
  }

  function keep(merchantId: string, day: number, bucket: DayBucket, into: Map<number, DayBucket>) {
    cache.set(merchantId, day, bucket);
    into.set(day, bucket);
  }

  /** Loads the given days of a merchant (ascending, distinct) in runs of consecutive days. */
  function loadDays(merchantId: string, current: number, days: readonly number[]): Map<number, DayBucket> {
    const loaded = new Map<number, DayBucket>();
    let i = 0;
    while (i < days.length) {
      const first = days[i] as number;
      let last = first;
      while (i + 1 < days.length && days[i + 1] === last + 1 && last - first + 1 < maxRunDays)
        last = days[++i] as number;
      load(merchantId, current, first, last, loaded);
      i += 1;
    }
    return loaded;
  }

  /** The merchant's current bucket of a day from the cache, or undefined when missing or stale. */
  function cached(merchantId: string, day: number, current: number): DayBucket | undefined {
    const bucket = cache.get(merchantId, day);
    const hit = bucket !== undefined && bucket.version === current;
    cache.count(hit);
    return hit ? bucket : undefined;
  }

  return {
    findSlots(queries) {
      if (queries.length === 0) return [];
      const versions = new Map<string, number>();
      const buckets: (DayBucket | undefined)[] = new Array(queries.length);
      const missing = new Map<string, Set<number>>();
      let lastMerchant: string | undefined;
      let lastDay = 0;
      let lastBucket: DayBucket | undefined;
      for (let i = 0; i < queries.length; i++) {
        const query = queries[i] as SlotQuery;
        const day = dayOf(query.startSec);
        if (query.merchantId !== lastMerchant || day !== lastDay) {
          let current = versions.get(query.merchantId);
          if (current === undefined) {
            current = versionOf(query.merchantId);
            versions.set(query.merchantId, current);
          }
          lastMerchant = query.merchantId;
          lastDay = day;
          lastBucket = cached(query.merchantId, day, current);
          if (!lastBucket) {
            const days = missing.get(query.merchantId);
            if (days) days.add(day);
            else missing.set(query.merchantId, new Set([day]));
          }
        }
        buckets[i] = lastBucket;
      }
      let missingDays = 0;
      for (const days of missing.values()) missingDays += days.size;
      // A lookup spread over many days of a merchant would load them all: it reads only its own slots.
      if (missingDays > maxLoadDays) return slots.findSlots(queries);
      if (missing.size > 0) {
        const loaded = new Map<string, Map<number, DayBucket>>();
        for (const [merchantId, days] of missing) {
          const current = versions.get(merchantId) as number;
          loaded.set(
            merchantId,
            loadDays(
              merchantId,
              current,
              [...days].sort((a, b) => a - b),
            ),
          );
        }
        queries.forEach((query, i) => {
          buckets[i] ??= loaded.get(query.merchantId)?.get(dayOf(query.startSec));
        });
      }
      for (const bucket of buckets) if (!bucket?.complete) return slots.findSlots(queries);
      // Each start's slots are stored shortest first, the order the uncached read answers in.
      const found: InventorySlot[][] = new Array(queries.length);
      for (let i = 0; i < queries.length; i++) {
        const query = queries[i] as SlotQuery;
        found[i] = slotsMatching((buckets[i] as DayBucket).slotsByStart.get(query.startSec) ?? noSlots, query);
      }
      return found;
    },
    busyIntervals(merchantId, fromSec, toSec) {
      const first = dayOf(fromSec);
      const last = Math.ceil(toSec / bucketSec) - 1;
      if (!(fromSec < toSec) || last - first + 1 > maxLoadDays) return slots.busyIntervals(merchantId, fromSec, toSec);
      const current = versionOf(merchantId);
      const buckets: (DayBucket | undefined)[] = [];
      const missing: number[] = [];
      for (let day = first; day <= last; day++) {
        const bucket = cached(merchantId, day, current);
        buckets.push(bucket);
        if (!bucket) missing.push(day);
      }
      if (missing.length > 0) {
        const loaded = loadDays(merchantId, current, missing);
        for (let day = first; day <= last; day++) buckets[day - first] ??= loaded.get(day);
      }
      if (buckets.some((bucket) => !bucket?.complete)) return slots.busyIntervals(merchantId, fromSec, toSec);
      // An interval that began before a day is in the previous day's list too: each is taken once, in order.
      const found: BusyInterval[] = [];
      buckets.forEach((bucket, i) => {
        const dayStart = (first + i) * bucketSec;
        for (const { interval } of (bucket as DayBucket).busy) {
          if (i > 0 && interval.startSec < dayStart) continue;
          if (interval.startSec < toSec && interval.endSec > fromSec) found.push(interval);
        }
      });
      return found;
    },
  };
}
