import type { Booking, BookingStatus, PrepaymentState, UserInfo } from "../../booking/booking.js";
import { type SlotRow, slotColumns, slotFromRow } from "./inventory-rows.js";

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
