import type { ListedBooking } from "../../booking/booking.js";
import type { SqliteDatabase } from "./open-database.js";
import type { UserListingCache } from "./user-listing-cache.js";

/** Limits of what the listing cache holds. */
export interface CachedUserListingReadsOptions {
  /** A user with more bookings than this is never cached (their listings read through); 1,000 by default. */
  maxListingBookings?: number;
}

/** The uncached read that fills the cache. */
export interface UserListingSource {
  listBookingsOfUser(caller: string, userId: string): readonly ListedBooking[];
}

/**
 * listBookingsOfUser served from `cache`. Each call reads the user's listing version (one point query) in
 * the caller's transaction, so the version and any listing read to refill the cache come from one WAL
 * snapshot; a cached listing is used only while its version is the current one. Call it only inside a
 * read transaction: a listing filled from a write's uncommitted rows could outlive a rollback under a
 * version that a later commit reuses. Answers equal `source`'s own, in the same order, frozen.
 */
export function createCachedUserListingReads(
  db: SqliteDatabase,
  source: UserListingSource,
  cache: UserListingCache,
  options: CachedUserListingReadsOptions = {},
) {
  const maxListingBookings = options.maxListingBookings ?? 1000;
  const version = db
    .prepare<[string, string], number>("SELECT version FROM user_listing_version WHERE caller = ? AND user_id = ?")
    .pluck();
  return {
    listBookingsOfUser(caller: string, userId: string): readonly ListedBooking[] {
      const current = version.get(caller, userId) ?? 0;
      const cached = cache.get(caller, userId);
      const hit = cached !== undefined && cached.version === current;
      cache.count(hit);
      if (hit) return cached.bookings;
      const bookings = Object.freeze(source.listBookingsOfUser(caller, userId));
      if (bookings.length <= maxListingBookings)
        cache.set(caller, userId, Object.freeze({ version: current, bookings }));
      else if (cached) cache.delete(caller, userId);
      return bookings;
    },
  };
}
