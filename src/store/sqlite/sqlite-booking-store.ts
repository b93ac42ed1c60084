import type { BookingReader, BookingStore, BookingWriter } from "../../booking/booking-store.js";
import type { PaymentLedger } from "../../payments/payment-processor.js";
import { createAuditTable } from "./audit-table.js";
import { type AvailabilityCache, createAvailabilityCache } from "./availability-cache.js";
import { createBookingListingTable } from "./booking-listing-table.js";
import { createBookingTable } from "./booking-table.js";
import { type CachedAvailabilityReadsOptions, createCachedAvailabilityReads } from "./cached-availability-reads.js";
import { type CachedUserListingReadsOptions, createCachedUserListingReads } from "./cached-user-listing-reads.js";
import { type ConnectionGate, createConnectionGate } from "./connection-gate.js";
import { createGroupCommitQueue, type GroupCommitOptions, type GroupCommitQueue } from "./group-commit.js";
import type { SqliteDatabase } from "./open-database.js";
import { createOutboxTable } from "./outbox-table.js";
import { createPaymentLedgerTable } from "./payment-ledger-table.js";
import { createSlotChangeTable } from "./slot-change-table.js";
import { createSlotTable } from "./slot-table.js";
import { translateStoreError } from "./store-error.js";
import { createUserListingCache, type UserListingCache } from "./user-listing-cache.js";

/** Options of the SQLite booking store. */
export interface SqliteBookingStoreOptions
  extends GroupCommitOptions,
    CachedAvailabilityReadsOptions,
    CachedUserListingReadsOptions {
  /** Bound of the availability cache, in slots plus busy intervals plus days held; 200,000 by default. */
  availabilityCacheWeight?: number;
  /** Bound of the user listing cache, in bookings plus users held; 200,000 by default. */
  userListingCacheWeight?: number;
}

/** The SQLite implementation of BookingStore, plus the write queue it commits through. */
export interface SqliteBookingStore extends BookingStore {
  readonly queue: GroupCommitQueue;
  /** What lookups read, held between them (see createCachedAvailabilityReads). */
  readonly availabilityCache: AvailabilityCache;
  /** Users' listings, held between ListBookings calls (see createCachedUserListingReads). */
  readonly userListingCache: UserListingCache;
}

/**
 * Creates the BookingStore over an open database: statements prepared once, reads in one snapshot,
 * writes through the group-commit queue, SQLite errors translated to domain errors. Every port method
 * runs its statement synchronously and answers an already-resolved promise, so a write's `fn` finishes
 * within microtasks and a batch of them shares one commit.
 */
export function createSqliteBookingStore(
  db: SqliteDatabase,
  options: SqliteBookingStoreOptions = {},
  gate: ConnectionGate = createConnectionGate(),
): SqliteBookingStore {
  const slots = createSlotTable(db);
  const bookings = createBookingTable(db);
  const ledgerTable = createPaymentLedgerTable(db);
  const listing = createBookingListingTable(db);
  const audit = createAuditTable(db);
  const outbox = createOutboxTable(db);
  const slotChanges = createSlotChangeTable(db);
  const availabilityCache = createAvailabilityCache(options.availabilityCacheWeight ?? 200_000);
  const availability = createCachedAvailabilityReads(db, slots, availabilityCache, options);
  const userListingCache = createUserListingCache(options.userListingCacheWeight ?? 200_000);
  const listings = createCachedUserListingReads(db, bookings, userListingCache, options);
  // Writes read through: a bucket or listing filled inside a write could hold rows that roll back.
  const writeReader: BookingReader = {
    findSlots: async (queries) => slots.findSlots(queries),
    findSlot: async (key) => slots.findSlot(key),
    busyIntervals: async (merchantId, fromSec, toSec) => slots.busyIntervals(merchantId, fromSec, toSec),
    listSlots: async (query) => slotChanges.listSlots(query),
    slotsOverlapping: async (merchantId, fromSec, toSec, nowSec) =>
      slotChanges.slotsOverlapping(merchantId, fromSec, toSec, nowSec),
    merchantPolicy: async (merchantId) => slots.merchantPolicy(merchantId),
    merchantPolicies: async () => slots.merchantPolicies(),
    servicePolicy: async (merchantId, serviceId) => slots.servicePolicy(merchantId, serviceId),
    getBooking: async (bookingId) => bookings.getBooking(bookingId),
    getBookingOf: async (caller, bookingId) => bookings.getBookingOf(caller, bookingId),
    listBookingsOfUser: async (caller, userId) => bookings.listBookingsOfUser(caller, userId),
    activeBookingsOfUser: async (caller, userId, merchantId, nowSec) =>
      bookings.activeBookingsOfUser(caller, userId, merchantId, nowSec),
    // Writes run one at a time on this connection, so the token needs no lock of its own.
    findIdempotencyRecord: async (caller, token) => bookings.findIdempotencyRecord(caller, token),
    listBookings: async (query) => listing.listBookings(query),
    changedBookings: async (query) => listing.changedBookings(query),
    syncMark: async () => listing.syncMark(),
  };
  // Reads run in their own transaction (see read), where the cache's version check holds.
  const reader: BookingReader = {
    ...writeReader,
    findSlots: async (queries) => availability.findSlots(queries),
    busyIntervals: async (merchantId, fromSec, toSec) => availability.busyIntervals(merchantId, fromSec, toSec),
    listBookingsOfUser: async (caller, userId) => listings.listBookingsOfUser(caller, userId),
  };
  const ledger: PaymentLedger = {
    find: async (kind, key) => ledgerTable.find(kind, key),
    insert: async (entry) => ledgerTable.insert(entry),
  };
  const writer: BookingWriter = {
    ...writeReader,
    takeSpot: async (slotId) => slots.takeSpot(slotId),
    releaseSpot: async (slotId) => slots.releaseSpot(slotId),
    // Writes run one at a time on this connection: reading the slot is locking it.
    lockSlot: async (key) => slots.findSlot(key),
    saveSlot: async (spec) => slotChanges.saveSlot(spec),
    removeSlot: async (slotId) => slotChanges.removeSlot(slotId),
    insertBlock: async (block, nowSec) => slotChanges.insertBlock(block, nowSec),
    deleteBlock: async (blockId, nowSec) => slotChanges.deleteBlock(blockId, nowSec),
    insertBooking: async (booking) => bookings.insertBooking(booking),
    updateBooking: async (bookingId, changes) => bookings.updateBooking(bookingId, changes),
    insertIdempotencyRecord: async (record) => bookings.insertIdempotencyRecord(record),
    appendAudit: async (entry) => audit.insert(entry),
    enqueueNotification: async (entry) => outbox.insert(entry),
    getNotification: async (entryId) => outbox.get(entryId),
    requeueNotification: async (entryId, payload) => outbox.requeue(entryId, payload),
    ledger,
  };
  const queue = createGroupCommitQueue(db, options, gate);
  const begin = db.prepare("BEGIN");
  const end = db.prepare("COMMIT");

  return {
    queue,
    availabilityCache,
    userListingCache,
    async read<T>(fn: (r: BookingReader) => Promise<T>): Promise<T> {
      try {
        // Reads share the writers' connection, so they wait at the gate while a batch is open: run between
        // two awaits of the batch, a read would see its uncommitted writes and its BEGIN would fail. A batch
        // holds the gate only for microtasks and one synchronous COMMIT, before the event loop could run
        // anything else, so the wait costs no latency. A deferred transaction gives a multi-statement read
        // one WAL snapshot (BEGIN and COMMIT cost ~0.5 µs together).
        return await gate.exclusive(async () => {
          begin.run();
          try {
            return await fn(reader);
          } finally {
            if (db.inTransaction) end.run();
          }
        });
      } catch (error) {
        throw translateStoreError(error);
      }
    },
    async write<T>(fn: (w: BookingWriter) => Promise<T>): Promise<T> {
      try {
        return await queue.submit(() => fn(writer));
      } catch (error) {
        throw translateStoreError(error);
      }
    },
  };
}
