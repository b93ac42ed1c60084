import type { Booking } from "../../booking/booking.js";
import type { BookingChanges, IdempotencyRecord, NewBooking } from "../../booking/booking-store.js";
import { type BookingRow, bookingFromRow, bookingSelect, type IdempotencyRow } from "../rows/booking-row.js";
import type { Sql } from "./postgres-pool.js";

/** The writing transaction's id: what a listing's sync mark is compared with. */
const changeMark = "pg_current_xact_id()::text::bigint";

/** Inside a write, the booking rows read stay locked until commit (two changes of one booking queue). */
const lockSuffix = (locked: boolean) => (locked ? " FOR UPDATE OF b" : "");

export async function getBooking(sql: Sql, bookingId: string, locked: boolean): Promise<Booking | undefined> {
  const row = await sql.row<BookingRow>(`${bookingSelect} WHERE b.booking_id = $1${lockSuffix(locked)}`, [bookingId]);
  return row ? bookingFromRow(row) : undefined;
}

export async function getBookingOf(sql: Sql, caller: string, bookingId: string, locked: boolean) {
  const row = await sql.row<BookingRow>(
    `${bookingSelect} WHERE b.booking_id = $1 AND b.caller = $2${lockSuffix(locked)}`,
    [bookingId, caller],
  );
  return row ? bookingFromRow(row) : undefined;
}

export async function listBookingsOfUser(sql: Sql, caller: string, userId: string): Promise<Booking[]> {
  const rows = await sql.rows<BookingRow>(
    `${bookingSelect} WHERE b.caller = $1 AND b.user_id = $2 ORDER BY b.created_sec, b.created_seq`,
    [caller, userId],
  );
  return rows.map(bookingFromRow);
}

export async function activeBookingsOfUser(
  sql: Sql,
  caller: string,
  userId: string,
  merchantId: string,
  nowSec: number,
): Promise<Booking[]> {
  const rows = await sql.rows<BookingRow>(
    `${bookingSelect} WHERE b.caller = $1 AND b.user_id = $2 AND b.merchant_id = $3
       AND b.status IN ('CONFIRMED', 'PENDING_MERCHANT_CONFIRMATION') AND s.start_sec + s.duration_sec > $4
     ORDER BY b.created_seq`,
    [caller, userId, merchantId, nowSec],
  );
  return rows.map(bookingFromRow);
}

export async function insertBooking(sql: Sql, booking: NewBooking): Promise<void> {
  const inserted = await sql.run(
    `INSERT INTO booking (booking_id, slot_id, merchant_id, user_id, caller, status, prepayment,
       payment_transaction_id, price_micros, currency_code, user_json, created_sec, updated_sec, version, change_mark)
     SELECT $1, slot_id, merchant_id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, 1, ${changeMark}
     FROM slot WHERE slot_id = $11`,
    [
      booking.bookingId,
      booking.user.userId,
      booking.caller,
      booking.status,
      booking.payment.prepayment,
      booking.payment.transactionId,
      booking.payment.price?.priceMicros ?? null,
      booking.payment.price?.currencyCode ?? null,
      JSON.stringify(booking.user),
      booking.nowSec,
      booking.slotId,
    ],
  );
  if (inserted !== 1) throw new Error(`slot ${booking.slotId} does not exist`);
}

export async function updateBooking(sql: Sql, bookingId: string, changes: BookingChanges): Promise<void> {
  await sql.run(
    `UPDATE booking SET status = COALESCE($2, status), slot_id = COALESCE($3, slot_id),
       prepayment = COALESCE($4, prepayment), payment_transaction_id = COALESCE($5, payment_transaction_id),
       updated_sec = $6, version = version + 1, change_mark = ${changeMark}
     WHERE booking_id = $1`,
    [
      bookingId,
      changes.status ?? null,
      changes.slotId ?? null,
      changes.payment?.prepayment ?? null,
      changes.payment?.transactionId ?? null,
      changes.nowSec,
    ],
  );
}

export async function findIdempotencyRecord(sql: Sql, caller: string, token: string) {
  const row = await sql.row<IdempotencyRow>("SELECT * FROM idempotency_record WHERE caller = $1 AND token = $2", [
    caller,
    token,
  ]);
  if (!row) return undefined;
  const record: IdempotencyRecord = {
    caller: row.caller,
    token: row.token,
    fingerprint: row.fingerprint,
    bookingId: row.booking_id,
    response: new Uint8Array(row.response),
    createdSec: row.created_sec,
  };
  return record;
}

export async function insertIdempotencyRecord(sql: Sql, record: IdempotencyRecord): Promise<void> {
  await sql.run(
    `INSERT INTO idempotency_record (caller, token, fingerprint, booking_id, response, created_sec)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      record.caller,
      record.token,
      record.fingerprint,
      record.bookingId,
      Buffer.from(record.response.buffer, record.response.byteOffset, record.response.byteLength),
      record.createdSec,
    ],
  );
}

/** True for the unique violation of a second record of one (caller, token). */
export function isDuplicateToken(error: unknown): boolean {
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  return code === "23505" && constraint === "idempotency_record_pkey";
}
