import type { BookingReader, BookingStore, BookingWriter } from "../../booking/booking-store.js";
import { lockUntilCommit } from "./advisory-lock.js";
import { insertAuditEntry } from "./audit-queries.js";
import { changedBookings, listBookings, syncMark } from "./booking-listing-queries.js";
import {
  activeBookingsOfUser,
  findIdempotencyRecord,
  getBooking,
  getBookingOf,
  insertBooking,
  insertIdempotencyRecord,
  isDuplicateToken,
  listBookingsOfUser,
  updateBooking,
} from "./booking-queries.js";
import { paymentLedgerOf } from "./payment-ledger-queries.js";
import { insertOutboxEntry, lockOutboxEntry, requeueOutboxEntry } from "./postgres-outbox-store.js";
import type { PostgresPool, Sql } from "./postgres-pool.js";
import {
  deleteBlock,
  insertBlock,
  listSlots,
  lockSlot,
  removeSlot,
  saveSlot,
  slotsOverlapping,
} from "./slot-change-queries.js";
import {
  busyIntervals,
  findSlot,
  findSlots,
  merchantPolicies,
  merchantPolicy,
  releaseSpot,
  servicePolicy,
  takeSpot,
} from "./slot-queries.js";

/**
 * The PostgreSQL BookingStore: a read is one REPEATABLE READ snapshot; a write is one READ COMMITTED
 * transaction on one pooled connection, in which the port's locks are real database locks, so they hold
 * across every replica on the database:
 *
 * - the idempotency token: `pg_advisory_xact_lock` before the record is read, so a twin request waits
 *   for this write to commit and then finds its record;
 * - a user's bookings at a merchant: an advisory lock before they are read, so per-user policies hold;
 * - a booking read for a change: `SELECT ... FOR UPDATE`;
 * - a spot: the guarded `UPDATE slot ... WHERE spots_booked + spots_external < spots_total`.
 *
 * Should a second record of one token still meet the unique key (23505), the write rolls back and runs
 * again, and then finds the first one's record. Deadlocks and serialization failures run again too.
 */
export function createPostgresBookingStore(pool: PostgresPool): BookingStore {
  const readerOf = (sql: Sql, locked: boolean): BookingReader => ({
    // Lookups read through, unlike SQLite's cached reads: validating a cache needs a per-merchant version
    // that every write raises, and that one row per merchant would serialise concurrent bookings of a
    // merchant across replicas (each would wait on the row lock until the other commits).
    findSlots: (queries) => findSlots(sql, queries),
    findSlot: (key) => findSlot(sql, key),
    busyIntervals: (merchantId, fromSec, toSec) => busyIntervals(sql, merchantId, fromSec, toSec),
    listSlots: (query) => listSlots(sql, query),
    slotsOverlapping: (merchantId, fromSec, toSec, nowSec) => slotsOverlapping(sql, merchantId, fromSec, toSec, nowSec),
    merchantPolicy: (merchantId) => merchantPolicy(sql, merchantId),
    merchantPolicies: () => merchantPolicies(sql),
    servicePolicy: (merchantId, serviceId) => servicePolicy(sql, merchantId, serviceId),
    getBooking: (bookingId) => getBooking(sql, bookingId, locked),
    getBookingOf: (caller, bookingId) => getBookingOf(sql, caller, bookingId, locked),
    // Read through, uncached (unlike SQLite): a version row per user, raised by every write of the user's
    // bookings, would serialise those writes across replicas on one row lock, and checking it would add a
    // round trip to every read.
    listBookingsOfUser: (caller, userId) => listBookingsOfUser(sql, caller, userId),
    async activeBookingsOfUser(caller, userId, merchantId, nowSec) {
      if (locked) await lockUntilCommit(sql, "user-at-merchant", caller, userId, merchantId);
      return activeBookingsOfUser(sql, caller, userId, merchantId, nowSec);
    },
    async findIdempotencyRecord(caller, token) {
      if (locked) await lockUntilCommit(sql, "idempotency-token", caller, token);
      return findIdempotencyRecord(sql, caller, token);
    },
    listBookings: (query) => listBookings(sql, query),
    changedBookings: (query) => changedBookings(sql, query),
    syncMark: () => syncMark(sql),
  });
  const writerOf = (sql: Sql): BookingWriter => ({
    ...readerOf(sql, true),
    takeSpot: (slotId) => takeSpot(sql, slotId),
    releaseSpot: (slotId) => releaseSpot(sql, slotId),
    lockSlot: (key) => lockSlot(sql, key),
    saveSlot: (spec) => saveSlot(sql, spec),
    removeSlot: (slotId) => removeSlot(sql, slotId),
    insertBlock: (block, nowSec) => insertBlock(sql, block, nowSec),
    deleteBlock: (blockId, nowSec) => deleteBlock(sql, blockId, nowSec),
    insertBooking: (booking) => insertBooking(sql, booking),
    updateBooking: (bookingId, changes) => updateBooking(sql, bookingId, changes),
    insertIdempotencyRecord: (record) => insertIdempotencyRecord(sql, record),
    appendAudit: (entry) => insertAuditEntry(sql, entry),
    enqueueNotification: (entry) => insertOutboxEntry(sql, entry),
    getNotification: (entryId) => lockOutboxEntry(sql, entryId),
    requeueNotification: (entryId, payload) => requeueOutboxEntry(sql, entryId, payload),
    ledger: paymentLedgerOf(sql),
  });
  return {
    read: (fn) => pool.transaction((sql) => fn(readerOf(sql, false)), { readOnly: true }),
    write: (fn) => pool.transaction((sql) => fn(writerOf(sql)), { retryIf: isDuplicateToken }),
  };
}
