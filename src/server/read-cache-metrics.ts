import { Counter, Gauge, type Registry } from "prom-client";
import type { ReadCacheStats } from "../contract/read-cache-stats.js";

/**
 * Registers the read cache metrics, read from the caches on each scrape:
 * `booking_server_read_cache_{hits,misses,evictions}_total{cache}` and
 * `booking_server_read_cache_{entries,weight,max_weight}{cache}`. A hit is a read served from memory
 * after its version check; a miss read the database.
 */
export function createReadCacheMetrics(registry: Registry, readCaches: () => readonly ReadCacheStats[]): void {
  const registers = [registry];
  const labelNames = ["cache"] as const;
  const counter = (field: "hits" | "misses" | "evictions", help: string) => {
    // The caches count from their start; each scrape adds what was counted since the last one.
    const seen = new Map<string, number>();
    new Counter({
      name: `booking_server_read_cache_${field}_total`,
      help,
      labelNames,
      registers,
      collect() {
        for (const stats of readCaches()) {
          const now = stats[field];
          this.inc({ cache: stats.cache }, now - (seen.get(stats.cache) ?? 0));
          seen.set(stats.cache, now);
        }
      },
    });
  };
  const gauge = (name: string, field: "entries" | "weight" | "maxWeight", help: string) =>
    new Gauge({
      name: `booking_server_read_cache_${name}`,
      help,
      labelNames,
      registers,
      collect() {
        for (const stats of readCaches()) this.set({ cache: stats.cache }, stats[field]);
      },
    });
  counter("hits", "Reads served from an in-process cache after their version check, by cache.");
  counter("misses", "Reads an in-process cache sent to the database (missing or stale), by cache.");
  counter("evictions", "Entries an in-process cache dropped to stay within its weight, by cache.");
  gauge("entries", "entries", "Entries held: (merchant, day) buckets or (aggregator, user) listings.");
  gauge("weight", "weight", "Weight held: slots and busy intervals, or bookings, plus one per entry.");
  gauge("max_weight", "maxWeight", "The weight a cache keeps to.");
}
