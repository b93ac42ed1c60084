import type { ReadCacheStats } from "../../contract/read-cache-stats.js";

/** A weighted LRU's counters: a read cache's, without its name. */
export type WeightedLruStats = Omit<ReadCacheStats, "cache">;

/** A least-recently-used map whose entries' total weight stays at or under a bound. */
export interface WeightedLru<V> {
  /** The entry, marked as just used. */
  get(key: string): V | undefined;
  /** Stores the entry, evicting the least recently used ones beyond the bound; one heavier than the bound alone is not kept. */
  set(key: string, value: V): void;
  delete(key: string): void;
  /** Counts a read as served from memory (hit) or from the database. */
  count(hit: boolean): void;
  stats(): WeightedLruStats;
}

/** Creates an empty LRU bounded by `maxWeight`, each entry weighing `weightOf(value)`. */
export function createWeightedLru<V>(maxWeight: number, weightOf: (value: V) => number): WeightedLru<V> {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, V>();
  let weight = 0;
  let hits = 0;
  let misses = 0;
  let evictions = 0;
  const remove = (key: string) => {
    const old = entries.get(key);
    if (old === undefined) return;
    entries.delete(key);
    weight -= weightOf(old);
  };
  return {
    get(key) {
      const value = entries.get(key);
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    set(key, value) {
      remove(key);
      const added = weightOf(value);
      if (added > maxWeight) return;
      entries.set(key, value);
      weight += added;
      for (const oldest of entries.keys()) {
        if (weight <= maxWeight) break;
        remove(oldest);
        evictions += 1;
      }
    },
    delete: remove,
    count(hit) {
      if (hit) hits += 1;
      else misses += 1;
    },
    stats: () => ({ entries: entries.size, weight, maxWeight, hits, misses, evictions }),
  };
}
