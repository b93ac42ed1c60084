import type { Booking, BookingStatus, PrepaymentState, UserInfo } from "../../booking/booking.js";
import {
  type SlotJsonArray,
  type SlotRow,
  slotColumns,
  slotFromJsonArray,
  slotFromRow,
  slotJsonArray,
} from "./inventory-rows.js";

/** A booking row joined with its slot. */
export interface BookingRow extends SlotRow {
  booking_id: string;
  caller: string;
  version: number;
  user_json: string;
  status: BookingStatus;
  prepayment: PrepaymentState;
  payment_transaction_id: string;
  price_micros: number | null;
  currency_code: string | null;
  created_sec: number;
  updated_sec: number;
}

/** An idempotency_record row. */
export interface IdempotencyRow {
  caller: string;
  token: string;
  fingerprint: string;
  booking_id: string;
  response: Buffer;
  created_sec: number;
}

/** The SELECT of a booking and its slot, aliased b and s. */
export const bookingSelect = `SELECT b.booking_id, b.caller, b.version, b.user_json, b.status, b.prepayment, b.payment_transaction_id,
  b.price_micros, b.currency_code, b.created_sec, b.updated_sec, ${slotColumns}
  FROM booking b JOIN slot s ON s.slot_id = b.slot_id`;

/** The domain booking of a row. */
export function bookingFromRow(row: BookingRow): Booking {
  const booking: Booking = {
    bookingId: row.booking_id,
    caller: row.caller,
    version: row.version,
    slot: slotFromRow(row),
    user: JSON.parse(row.user_json) as UserInfo,
    status: row.status,
    payment: { prepayment: row.prepayment, transactionId: row.payment_transaction_id },
    createdSec: row.created_sec,
    updatedSec: row.updated_sec,
  };
  if (row.price_micros !== null && row.currency_code !== null) {
    booking.payment.price = { priceMicros: row.price_micros, currencyCode: row.currency_code };
  }
  return booking;
}

/**
 * The columns of a booking and its slot as one JSON array per booking (SQL `json_array(...)`, aliases b
 * and s), for reads that fetch many bookings as one JSON document: the database builds it natively and
 * one JSON.parse is far cheaper than materialising each row as an object. `user_json` is embedded as
 * JSON, so it is parsed with the rest. The booking's caller is not included: such reads filter on it.
 */
export const bookingJsonArray = `json_array(b.booking_id, b.version, json(b.user_json), b.status, b.prepayment,
  b.payment_transaction_id, b.price_micros, b.currency_code, b.created_sec, b.updated_sec, ${slotJsonArray})`;

/** One element of a `bookingJsonArray` document, in its column order. */
export type BookingJsonArray = [
  bookingId: string,
  version: number,
  user: UserInfo,
  status: BookingStatus,
  prepayment: PrepaymentState,
  transactionId: string,
  priceMicros: number | null,
  currencyCode: string | null,
  createdSec: number,
  updatedSec: number,
  slot: SlotJsonArray,
];

/** The domain booking of one `bookingJsonArray` element, made by aggregator `caller`. */
export function bookingFromJsonArray(caller: string, a: BookingJsonArray): Booking {
  const booking: Booking = {
    bookingId: a[0],
    caller,
    version: a[1],
    slot: slotFromJsonArray(a[10]),
    user: a[2],
    status: a[3],
    payment: { prepayment: a[4], transactionId: a[5] },
    createdSec: a[8],
    updatedSec: a[9],
  };
  if (a[6] !== null && a[7] !== null) booking.payment.price = { priceMicros: a[6], currencyCode: a[7] };
  return booking;
}
