import type { BusyInterval, InventorySlot } from "../../booking/inventory.js";
import { createWeightedLru, type WeightedLruStats } from "./weighted-lru.js";

/** The length of a cached bucket: one UTC day of a merchant's slots. */
export const bucketSec = 86_400;

/** A busy interval with its row id, which orders it after its start among intervals spanning several days. */
export interface CachedBusyInterval {
  readonly id: number;
  readonly interval: BusyInterval;
}

/**
 * What a lookup reads of one merchant's day, as of `version`: the slots starting in the day, by start
 * (each list shortest first), and the busy intervals overlapping the day, by start then id. Everything
 * in it is frozen: lookups hand these objects to callers and share them between requests.
 */
export interface DayBucket {
  readonly version: number;
  /** False for a day with too many slots to hold: it only records that lookups must read through. */
  readonly complete: boolean;
  readonly slotsByStart: ReadonlyMap<number, readonly InventorySlot[]>;
  readonly busy: readonly CachedBusyInterval[];
  /** Slots plus intervals plus one: what the bucket costs against the cache's bound. */
  readonly weight: number;
}

/** The day a start time falls in (days are counted from the epoch, negative before it). */
export function dayOf(sec: number): number {
  return Math.floor(sec / bucketSec);
}

/** The cache's counters, its entries named as what they are. */
export type AvailabilityCacheStats = Omit<WeightedLruStats, "entries"> & { buckets: number };

/**
 * A least-recently-used map of (merchant, day) buckets whose total weight stays at or under `maxWeight`.
 * It knows nothing of versions: the reader compares a bucket's version with the database's.
 */
export interface AvailabilityCache {
  get(merchantId: string, day: number): DayBucket | undefined;
  set(merchantId: string, day: number, bucket: DayBucket): void;
  /** Counts a lookup's bucket as served from memory or read from the database. */
  count(hit: boolean): void;
  stats(): AvailabilityCacheStats;
}

/** Creates an empty cache bounded by `maxWeight` (slots plus busy intervals plus one per bucket). */
export function createAvailabilityCache(maxWeight: number): AvailabilityCache {
  const lru = createWeightedLru<DayBucket>(maxWeight, (bucket) => bucket.weight);
  const keyOf = (merchantId: string, day: number) => `${day}\u0000${merchantId}`;
  return {
    get: (merchantId, day) => lru.get(keyOf(merchantId, day)),
    set: (merchantId, day, bucket) => lru.set(keyOf(merchantId, day), bucket),
    count: lru.count,
    stats: () => {
      const { entries, ...rest } = lru.stats();
      return { buckets: entries, ...rest };
    },
  };
}
