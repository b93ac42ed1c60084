import type { BookingStatus } from "./booking.js";

/** Where a page of a listing starts: after this booking in (startSec, bookingId) order. */
export interface ListingCursor {
  startSec: number;
  bookingId: string;
}

/**
 * Bookings of every aggregator, for the merchant's side, ordered by start time then booking id. The
 * order is a key of rows that never change it by being inserted, so pages stay stable while bookings
 * are added: a page after a cursor never repeats or skips a booking that existed at the first page.
 */
export interface BookingListQuery {
  merchantId?: string;
  /** Bookings starting at or after. */
  startSecMin?: number;
  /** Bookings starting before. */
  startSecMax?: number;
  statuses?: readonly BookingStatus[];
  /** Bookings of any of these staff members. */
  staffIds?: readonly string[];
  /** Bookings of any of these services. */
  serviceIds?: readonly string[];
  /** Bookings whose id is this text, or whose user's given, family or full name contains it, ignoring case. */
  text?: string;
  after?: ListingCursor;
  limit: number;
}

/**
 * Bookings changed since a sync mark (see BookingReader.syncMark), ordered by (changeMark, bookingId).
 * A booking may be answered more than once (it changed again, or a mark is coarse); never missed.
 */
export interface BookingChangesQuery {
  merchantId?: string;
  sinceMark: number;
  after?: { changeMark: number; bookingId: string };
  limit: number;
}
