import type { PaymentProcessor } from "../payments/payment-processor.js";
import type { Booking } from "./booking.js";
import { BookingError, bookingNotFound } from "./booking-error.js";
import type { BookingChangesQuery, BookingListQuery } from "./booking-listing.js";
import type { BookingStore, BookingWriter } from "./booking-store.js";
import type { Clock } from "./clock.js";
import { FailureRollback } from "./failure-rollback.js";
import {
  type MerchantChange,
  type MerchantChangeDeps,
  type MerchantReschedule,
  merchantCancel,
  merchantDecide,
  merchantNoShow,
  merchantReschedule,
} from "./merchant-changes.js";

/** A page of bookings and the sync mark of the read that produced it. */
export interface BookingPage<T> {
  items: T[];
  syncMark: number;
}

/**
 * The merchant's side of bookings: listing across aggregators, incremental sync, and the changes a
 * merchant makes. Every change is checked against the etag it was made with, and writes its audit entry
 * and its real-time update in its own transaction.
 */
export interface MerchantBookings {
  list(query: BookingListQuery): Promise<BookingPage<Booking>>;
  changes(query: BookingChangesQuery): Promise<BookingPage<{ booking: Booking; changeMark: number }>>;
  get(bookingId: string): Promise<Booking>;
  cancel(request: MerchantChange): Promise<Booking>;
  reschedule(request: MerchantReschedule): Promise<Booking>;
  confirm(request: MerchantChange): Promise<Booking>;
  decline(request: MerchantChange): Promise<Booking>;
  markNoShow(request: MerchantChange): Promise<Booking>;
}

/** What the merchant's side is built from. */
export interface MerchantBookingsDeps {
  store: BookingStore;
  clock: Clock;
  payments: PaymentProcessor;
}

/** Creates the merchant's side of bookings over the booking store. */
export function createMerchantBookings(deps: MerchantBookingsDeps): MerchantBookings {
  const { store, clock, payments } = deps;
  const write = async (fn: (writer: BookingWriter, d: MerchantChangeDeps) => Promise<Booking>) => {
    const changeDeps = { payments, nowSec: clock.nowSec() };
    try {
      return await store.write((writer) => fn(writer, changeDeps));
    } catch (error) {
      if (!(error instanceof FailureRollback)) throw error;
      throw new BookingError("BOOKING_CHANGE_REFUSED", error.failure.description, {
        failureCause: error.failure.cause,
      });
    }
  };
  return {
    list: (query) =>
      store.read(async (reader) => {
        const syncMark = await reader.syncMark();
        return { items: await reader.listBookings(query), syncMark };
      }),
    changes: (query) =>
      store.read(async (reader) => {
        const syncMark = await reader.syncMark();
        return { items: await reader.changedBookings(query), syncMark };
      }),
    async get(bookingId) {
      const booking = await store.read((reader) => reader.getBooking(bookingId));
      if (!booking) throw bookingNotFound();
      return booking;
    },
    cancel: (request) => write((writer, d) => merchantCancel(writer, request, d)),
    reschedule: (request) => write((writer, d) => merchantReschedule(writer, request, d)),
    confirm: (request) => write((writer, d) => merchantDecide(writer, request, "confirm", d)),
    decline: (request) => write((writer, d) => merchantDecide(writer, request, "decline", d)),
    markNoShow: (request) => write((writer, d) => merchantNoShow(writer, request, d)),
  };
}
