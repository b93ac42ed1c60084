import type { BookingStatus, ListedBooking, PrepaymentState, UserInfo } from "../../booking/booking.js";
import type { InventorySlot } from "../../booking/inventory.js";
import { deepFreeze } from "../../contract/deep-freeze.js";

/**
 * The slot columns a user's listing shows (`ListedSlot`), aliased s. The user listing version's triggers
 * (migration 010) watch exactly these: keep the two in step.
 */
export const listedSlotColumns = [
  "slot_id",
  "merchant_id",
  "service_id",
  "start_sec",
  "duration_sec",
  "staff_id",
  "room_id",
  "party_size",
  "confirmation_mode",
  "availability_tag",
] as const;

/** The booking columns a user's listing shows, aliased b; the listing filters on caller and user_id. */
export const listedBookingColumns = [
  "booking_id",
  "version",
  "user_json",
  "status",
  "prepayment",
  "payment_transaction_id",
  "price_micros",
  "currency_code",
  "created_sec",
  "updated_sec",
] as const;

/** A booking and its slot as one SQL `json_array(...)` (aliases b and s), in `ListedBookingJsonArray`'s order. */
export const listedBookingJsonArray = `json_array(b.booking_id, b.version, json(b.user_json), b.status, b.prepayment,
  b.payment_transaction_id, b.price_micros, b.currency_code, b.created_sec, b.updated_sec,
  json_array(${listedSlotColumns.map((c) => `s.${c}`).join(", ")}))`;

/** One element of a `listedBookingJsonArray` document, in its column order. */
export type ListedBookingJsonArray = [
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
  slot: [
    slotId: number,
    merchantId: string,
    serviceId: string,
    startSec: number,
    durationSec: number,
    staffId: string,
    roomId: string,
    partySize: number,
    confirmationMode: InventorySlot["confirmationMode"],
    availabilityTag: string,
  ],
];

/**
 * The listed booking of one `listedBookingJsonArray` element, made by aggregator `caller`, frozen through
 * and through (slot, user and address, payment and price): listings are shared between calls.
 */
export function listedBookingFromJsonArray(caller: string, a: ListedBookingJsonArray): ListedBooking {
  const s = a[10];
  const payment: ListedBooking["payment"] = { prepayment: a[4], transactionId: a[5] };
  if (a[6] !== null && a[7] !== null) payment.price = { priceMicros: a[6], currencyCode: a[7] };
  return deepFreeze({
    bookingId: a[0],
    caller,
    version: a[1],
    slot: {
      slotId: s[0],
      merchantId: s[1],
      serviceId: s[2],
      startSec: s[3],
      durationSec: s[4],
      staffId: s[5],
      roomId: s[6],
      partySize: s[7],
      confirmationMode: s[8],
      availabilityTag: s[9],
    },
    user: a[2],
    status: a[3],
    payment,
    createdSec: a[8],
    updatedSec: a[9],
  });
}
