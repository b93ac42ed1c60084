import type { BookingReader, BookingStore, BookingWriter } from "../../booking/booking-store.js";
import { createBookingTable } from "./booking-table.js";
import { createGroupCommitQueue, type GroupCommitOptions, type GroupCommitQueue } from "./group-commit.js";
import type { SqliteDatabase } from "./open-database.js";
import { createPaymentLedgerTable } from "./payment-ledger-table.js";
import { createSlotTable } from "./slot-table.js";
import { translateStoreError } from "./store-error.js";

/** Options of the SQLite booking store. */
export type SqliteBookingStoreOptions = GroupCommitOptions;

/** The SQLite implementation of BookingStore, plus the write queue it commits through. */
export interface SqliteBookingStore extends BookingStore {
  readonly queue: GroupCommitQueue;
}

/**
 * Creates the BookingStore over an open database: statements prepared once, reads in one snapshot,
 * writes through the group-commit queue, SQLite errors translated to domain errors.
 */
export function createSqliteBookingStore(
  db: SqliteDatabase,
  options: SqliteBookingStoreOptions = {},
): SqliteBookingStore {
  const slots = createSlotTable(db);
  const bookings = createBookingTable(db);
  const ledger = createPaymentLedgerTable(db);
  const reader: BookingReader = {
    findSlots: slots.findSlots,
    findSlot: slots.findSlot,
    busyIntervals: slots.busyIntervals,
    merchantPolicy: slots.merchantPolicy,
    servicePolicy: slots.servicePolicy,
    getBooking: bookings.getBooking,
    getBookingOf: bookings.getBookingOf,
    listBookingsOfUser: bookings.listBookingsOfUser,
    activeBookingsOfUser: bookings.activeBookingsOfUser,
    findIdempotencyRecord: bookings.findIdempotencyRecord,
  };
  const writer: BookingWriter = {
    ...reader,
    takeSpot: slots.takeSpot,
    releaseSpot: slots.releaseSpot,
    insertBooking: bookings.insertBooking,
    updateBooking: bookings.updateBooking,
    insertIdempotencyRecord: bookings.insertIdempotencyRecord,
    ledger,
  };
  const queue = createGroupCommitQueue(db, options);
  // A deferred transaction gives a multi-statement read one consistent WAL snapshot.
  const snapshot = db.transaction((fn: (r: BookingReader) => unknown) => fn(reader));

  return {
    queue,
    read<T>(fn: (r: BookingReader) => T): T {
      try {
        return snapshot.deferred(fn) as T;
      } catch (error) {
        throw translateStoreError(error);
      }
    },
    async write<T>(fn: (w: BookingWriter) => T): Promise<T> {
      try {
        return await queue.submit(() => fn(writer));
      } catch (error) {
        throw translateStoreError(error);
      }
    },
  };
}
