import type { ListedBooking } from "../../booking/booking.js";
import { createWeightedLru, type WeightedLruStats } from "./weighted-lru.js";

/** A user's listing as of `version`: frozen bookings, oldest first, shared between calls. */
export interface CachedListing {
  readonly version: number;
  readonly bookings: readonly ListedBooking[];
}

/** The cache's counters, its entries named as what they are; its weight is bookings plus one per user. */
export type UserListingCacheStats = Omit<WeightedLruStats, "entries"> & { users: number };

/**
 * A least-recently-used map of (caller, user) listings whose total weight (bookings plus one per user)
 * stays at or under `maxWeight`. It knows nothing of versions: the reader compares them with the database's.
 */
export interface UserListingCache {
  get(caller: string, userId: string): CachedListing | undefined;
  set(caller: string, userId: string, listing: CachedListing): void;
  delete(caller: string, userId: string): void;
  /** Counts a listing as served from memory or read from the database. */
  count(hit: boolean): void;
  stats(): UserListingCacheStats;
}

/** Creates an empty cache bounded by `maxWeight` (bookings plus one per user). */
export function createUserListingCache(maxWeight: number): UserListingCache {
  const lru = createWeightedLru<CachedListing>(maxWeight, (listing) => listing.bookings.length + 1);
  const keyOf = (caller: string, userId: string) => `${caller}\u0000${userId}`;
  return {
    get: (caller, userId) => lru.get(keyOf(caller, userId)),
    set: (caller, userId, listing) => lru.set(keyOf(caller, userId), listing),
    delete: (caller, userId) => lru.delete(keyOf(caller, userId)),
    count: lru.count,
    stats: () => {
      const { entries, ...rest } = lru.stats();
      return { users: entries, ...rest };
    },
  };
}
