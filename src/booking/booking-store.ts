import type { PaymentLedger } from "../payments/payment-processor.js";
import type { Booking, BookingPayment, BookingStatus, UserInfo } from "./booking.js";
import type { BusyInterval, InventorySlot, MerchantPolicy, ServicePolicy, SlotKey, SlotQuery } from "./inventory.js";

/** What a CreateBooking success left behind for replays of its idempotency token. */
export interface IdempotencyRecord {
  /** The aggregator the token belongs to. */
  caller: string;
  token: string;
  /** Hash of the request without its token; a different request under the same token is refused. */
  fingerprint: string;
  bookingId: string;
  /** The exact response bytes first sent; replays send them again. */
  response: Uint8Array;
  createdSec: number;
}

/** A booking about to be stored. */
export interface NewBooking {
  bookingId: string;
  slotId: number;
  /** The aggregator that made it: only that aggregator reads or changes it. */
  caller: string;
  user: UserInfo;
  status: BookingStatus;
  payment: BookingPayment;
  nowSec: number;
}

/** The changes UpdateBooking and the merchant can make to a stored booking. */
export interface BookingChanges {
  status?: BookingStatus;
  slotId?: number;
  payment?: BookingPayment;
  nowSec: number;
}

/** Synchronous reads; each call sees committed data. */
export interface BookingReader {
  /** The slots matching each query, in query order; durationSec 0 in a query matches any duration. */
  findSlots(queries: readonly SlotQuery[]): InventorySlot[][];
  findSlot(key: SlotKey): InventorySlot | undefined;
  /** Busy intervals of a merchant overlapping [fromSec, toSec). */
  busyIntervals(merchantId: string, fromSec: number, toSec: number): BusyInterval[];
  merchantPolicy(merchantId: string): MerchantPolicy | undefined;
  servicePolicy(merchantId: string, serviceId: string): ServicePolicy | undefined;
  /** A booking by id, whoever made it: for the merchant's side and for re-reads. */
  getBooking(bookingId: string): Booking | undefined;
  /** A booking by id when `caller` (an aggregator) made it; another aggregator's booking is undefined. */
  getBookingOf(caller: string, bookingId: string): Booking | undefined;
  /** Every booking of an aggregator's user, oldest first; user ids of two aggregators are different people. */
  listBookingsOfUser(caller: string, userId: string): Booking[];
  /** Bookings of an aggregator's user at a merchant that hold a spot and end after nowSec. */
  activeBookingsOfUser(caller: string, userId: string, merchantId: string, nowSec: number): Booking[];
  findIdempotencyRecord(caller: string, token: string): IdempotencyRecord | undefined;
}

/** Reads and writes inside one write transaction. */
export interface BookingWriter extends BookingReader {
  /** Takes one spot when one is left; false otherwise. The guard that makes overbooking impossible. */
  takeSpot(slotId: number): boolean;
  releaseSpot(slotId: number): void;
  insertBooking(booking: NewBooking): void;
  updateBooking(bookingId: string, changes: BookingChanges): void;
  insertIdempotencyRecord(record: IdempotencyRecord): void;
  readonly ledger: PaymentLedger;
}

/**
 * The repository the booking domain depends on. `write` runs `fn` synchronously inside a write
 * transaction (never awaiting inside it) and resolves only once that transaction is durably committed;
 * a throw from `fn` rolls back everything `fn` wrote.
 */
export interface BookingStore {
  read<T>(fn: (reader: BookingReader) => T): T;
  write<T>(fn: (writer: BookingWriter) => T): Promise<T>;
}
