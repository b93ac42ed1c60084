/** One in-process read cache's counters: reads served from memory or not, and what it holds. */
export interface ReadCacheStats {
  /** `availability` or `user_listing`. */
  cache: string;
  entries: number;
  weight: number;
  maxWeight: number;
  hits: number;
  misses: number;
  evictions: number;
}
