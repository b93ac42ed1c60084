import type { Booking, ListedBooking } from "../../booking/booking.js";
import type { BookingChanges, IdempotencyRecord, NewBooking } from "../../booking/booking-store.js";
import { type BookingRow, bookingFromRow, bookingSelect, type IdempotencyRow } from "../rows/booking-row.js";
import {
  type ListedBookingJsonArray,
  listedBookingFromJsonArray,
  listedBookingJsonArray,
} from "../rows/listed-booking-json.js";
import type { SqliteDatabase } from "./open-database.js";

// Writes are serialized on the connection, so one more than the largest mark follows commit order.
const nextChangeMark = "(SELECT COALESCE(MAX(change_mark), 0) + 1 FROM booking)";

/**
 * A user's bookings at one aggregator (caller, user_id) as one JSON array of `listedBookingJsonArray`s, oldest
 * first; NULL when there are none. One row and one JSON.parse for a user with 100 bookings. The inner
 * ORDER BY is served by the booking_caller_user_created index, so nothing is sorted, and SQLite keeps a
 * FROM subquery's ORDER BY when the outer query aggregates with group_concat, which then concatenates in
 * that order. group_concat, not json_group_array: the JSON subtype does not cross the subquery.
 */
export const userBookingsDocument = `SELECT '[' || group_concat(j, ',') || ']' FROM (SELECT ${listedBookingJsonArray} AS j
  FROM booking b JOIN slot s ON s.slot_id = b.slot_id WHERE b.caller = ? AND b.user_id = ?
  ORDER BY b.created_sec, b.rowid)`;

/** Prepared statements over bookings and idempotency records, prepared once per connection. */
export function createBookingTable(db: SqliteDatabase) {
  const byId = db.prepare<[string], BookingRow>(`${bookingSelect} WHERE b.booking_id = ?`);
  const byCallerAndId = db.prepare<[string, string], BookingRow>(
    `${bookingSelect} WHERE b.booking_id = ? AND b.caller = ?`,
  );
  const ofUser = db.prepare<[string, string], string | null>(userBookingsDocument).pluck();
  const activeOfUser = db.prepare<[string, string, string, number], BookingRow>(
    `${bookingSelect} WHERE b.caller = ? AND b.user_id = ? AND b.merchant_id = ?
       AND b.status IN ('CONFIRMED', 'PENDING_MERCHANT_CONFIRMATION') AND s.start_sec + s.duration_sec > ?`,
  );
  const insert = db.prepare(
    `INSERT INTO booking (booking_id, slot_id, merchant_id, user_id, caller, status, prepayment,
       payment_transaction_id, price_micros, currency_code, user_json, created_sec, updated_sec, version, change_mark)
     SELECT @bookingId, slot_id, merchant_id, @userId, @caller, @status, @prepayment, @transactionId,
       @priceMicros, @currencyCode, @userJson, @nowSec, @nowSec, 1, ${nextChangeMark} FROM slot WHERE slot_id = @slotId`,
  );
  const update = db.prepare(
    `UPDATE booking SET status = COALESCE(@status, status), slot_id = COALESCE(@slotId, slot_id),
       prepayment = COALESCE(@prepayment, prepayment),
       payment_transaction_id = COALESCE(@transactionId, payment_transaction_id), updated_sec = @nowSec,
       version = version + 1, change_mark = ${nextChangeMark}
     WHERE booking_id = @bookingId`,
  );
  const findRecord = db.prepare<[string, string], IdempotencyRow>(
    "SELECT * FROM idempotency_record WHERE caller = ? AND token = ?",
  );
  const insertRecord = db.prepare(
    `INSERT INTO idempotency_record (caller, token, fingerprint, booking_id, response, created_sec)
     VALUES (@caller, @token, @fingerprint, @bookingId, @response, @createdSec)`,
  );

  return {
    getBooking(bookingId: string): Booking | undefined {
      const row = byId.get(bookingId);
      return row ? bookingFromRow(row) : undefined;
    },
    getBookingOf(caller: string, bookingId: string): Booking | undefined {
      const row = byCallerAndId.get(bookingId, caller);
      return row ? bookingFromRow(row) : undefined;
    },
    /** The user's listing, frozen (see listedBookingFromJsonArray). */
    listBookingsOfUser(caller: string, userId: string): ListedBooking[] {
      const document = ofUser.get(caller, userId);
      if (!document) return [];
      return (JSON.parse(document) as ListedBookingJsonArray[]).map((a) => listedBookingFromJsonArray(caller, a));
    },
    activeBookingsOfUser(caller: string, userId: string, merchantId: string, nowSec: number): Booking[] {
      return activeOfUser.all(caller, userId, merchantId, nowSec).map(bookingFromRow);
    },
    insertBooking(booking: NewBooking): void {
      const result = insert.run({
        bookingId: booking.bookingId,
        slotId: booking.slotId,
        userId: booking.user.userId,
        caller: booking.caller,
        status: booking.status,
        prepayment: booking.payment.prepayment,
        transactionId: booking.payment.transactionId,
        priceMicros: booking.payment.price?.priceMicros ?? null,
        currencyCode: booking.payment.price?.currencyCode ?? null,
        userJson: JSON.stringify(booking.user),
        nowSec: booking.nowSec,
      });
      if (result.changes !== 1) throw new Error(`slot ${booking.slotId} does not exist`);
    },
    updateBooking(bookingId: string, changes: BookingChanges): void {
      update.run({
        bookingId,
        status: changes.status ?? null,
        slotId: changes.slotId ?? null,
        prepayment: changes.payment?.prepayment ?? null,
        transactionId: changes.payment?.transactionId ?? null,
        nowSec: changes.nowSec,
      });
    },
    findIdempotencyRecord(caller: string, token: string): IdempotencyRecord | undefined {
      const row = findRecord.get(caller, token);
      if (!row) return undefined;
      return {
        caller: row.caller,
        token: row.token,
        fingerprint: row.fingerprint,
        bookingId: row.booking_id,
        response: new Uint8Array(row.response),
        createdSec: row.created_sec,
      };
    },
    insertIdempotencyRecord(record: IdempotencyRecord): void {
      insertRecord.run({ ...record, response: Buffer.from(record.response) });
    },
  };
}
