import type { ListedBooking } from "../../booking/booking.js";

/** A user's listing as of `version`: frozen bookings, oldest first, shared between calls. */
export interface CachedListing {
  readonly version: number;
  readonly bookings: readonly ListedBooking[];
}

/** The cache's counters, for tests and diagnostics. */
export interface UserListingCacheStats {
  users: number;
  /** Bookings held plus one per user. */
  weight: number;
  maxWeight: number;
  hits: number;
  misses: number;
  evictions: number;
}

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

const weightOf = (listing: CachedListing) => listing.bookings.length + 1;

/** Creates an empty cache bounded by `maxWeight` (bookings plus one per user). */
export function createUserListingCache(maxWeight: number): UserListingCache {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const listings = new Map<string, CachedListing>();
  let weight = 0;
  let hits = 0;
  let misses = 0;
  let evictions = 0;
  const keyOf = (caller: string, userId: string) => `${caller}\u0000${userId}`;
  const remove = (key: string) => {
    const old = listings.get(key);
    if (!old) return;
    listings.delete(key);
    weight -= weightOf(old);
  };
  return {
    get(caller, userId) {
      const key = keyOf(caller, userId);
      const listing = listings.get(key);
      if (listing) {
        listings.delete(key);
        listings.set(key, listing);
      }
      return listing;
    },
    set(caller, userId, listing) {
      const key = keyOf(caller, userId);
      remove(key);
      if (weightOf(listing) > maxWeight) return;
      listings.set(key, listing);
      weight += weightOf(listing);
      for (const oldest of listings.keys()) {
        if (weight <= maxWeight) break;
        remove(oldest);
        evictions += 1;
      }
    },
    delete(caller, userId) {
      remove(keyOf(caller, userId));
    },
    count(hit) {
      if (hit) hits += 1;
      else misses += 1;
    },
    stats: () => ({ users: listings.size, weight, maxWeight, hits, misses, evictions }),
  };
}
