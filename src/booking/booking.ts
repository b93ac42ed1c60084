import type { InventorySlot, Money } from "./inventory.js";

/** Lifecycle states of a booking, named as in the contract. */
export type BookingStatus =
  | "CONFIRMED"
  | "PENDING_MERCHANT_CONFIRMATION"
  | "CANCELED"
  | "NO_SHOW"
  | "NO_SHOW_PENALIZED"
  | "FAILED"
  | "DECLINED_BY_MERCHANT";

/** What became of a booking's prepayment. */
export type PrepaymentState = "NOT_PROVIDED" | "PROVIDED" | "REFUNDED";

/** A postal address of a user, as the aggregator sent it. */
export interface UserAddress {
  country: string;
  locality: string;
  region: string;
  postalCode: string;
  streetAddress: string;
}

/** The person who booked, as the aggregator knows them. */
export interface UserInfo {
  userId: string;
  givenName: string;
  familyName: string;
  telephone: string;
  email: string;
  languageCode: string;
  address?: UserAddress;
}

/** The payment side of a booking. */
export interface BookingPayment {
  prepayment: PrepaymentState;
  /** The charge's transaction id, or the refund's once refunded; empty when nothing was charged. */
  transactionId: string;
  price?: Money;
}

/** A booking as the store holds it, with the slot it occupies. */
export interface Booking {
  bookingId: string;
  /** The aggregator that made it. */
  caller: string;
  slot: InventorySlot;
  user: UserInfo;
  status: BookingStatus;
  payment: BookingPayment;
  createdSec: number;
  updatedSec: number;
  /** Grows by one with every change; the booking's etag is made from it. */
  version: number;
}

/**
 * What a user's listing shows of a booking's slot: everything but the spot counters and the feed flag,
 * which other users' bookings and feed imports change while the booking stays as it was.
 */
export type ListedSlot = Omit<InventorySlot, "spotsTotal" | "spotsExternal" | "spotsBooked" | "inFeed">;

/** A booking as a user's listing (ListBookings) shows it. */
export interface ListedBooking extends Omit<Booking, "slot"> {
  slot: ListedSlot;
}

/** Statuses in which a booking holds a spot of its slot. */
export function holdsSpot(status: BookingStatus): boolean {
  return status === "CONFIRMED" || status === "PENDING_MERCHANT_CONFIRMATION";
}
