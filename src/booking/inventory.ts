/** How bookings of a slot are confirmed; UNSPECIFIED behaves as SYNCHRONOUS. */
export type ConfirmationMode = "UNSPECIFIED" | "SYNCHRONOUS" | "ASYNCHRONOUS";

/** The fields that single out one slot of a merchant's inventory. */
export interface SlotKey {
  merchantId: string;
  serviceId: string;
  startSec: number;
  durationSec: number;
  staffId: string;
  roomId: string;
  /** Seats, for dining slots; 0 when not applicable. */
  partySize: number;
}

/** A slot as the inventory holds it, with its spot counts. */
export interface InventorySlot extends SlotKey {
  slotId: number;
  spotsTotal: number;
  /** Spots taken outside this server, derived from the feed's spots_open. */
  spotsExternal: number;
  /** Spots held by active bookings made through this server. */
  spotsBooked: number;
  confirmationMode: ConfirmationMode;
  availabilityTag: string;
  /** False once a feed dropped the slot; it stays only for the bookings that hold it. */
  inFeed: boolean;
}

/** One slot asked about in a lookup: a SlotKey whose durationSec 0 matches any duration. */
export type SlotQuery = SlotKey;

/** Rules a merchant sets for every service it offers. */
export interface MerchantPolicy {
  merchantId: string;
  name: string;
  timeZone: string;
  /** Most future, active bookings one user may hold at this merchant; 0 means no limit. */
  maxActiveBookingsPerUser: number;
  /** When true, a user may not hold two active bookings here that overlap in time. */
  forbidOverlapping: boolean;
}

/** Money, in millionths of the currency unit. */
export interface Money {
  priceMicros: number;
  currencyCode: string;
}

/** Rules of one service of a merchant. */
export interface ServicePolicy {
  merchantId: string;
  serviceId: string;
  /** A booking can be cancelled until this many seconds before it starts. */
  minAdvanceCancellationSec: number;
  /** The amount charged at booking time, when the service requires prepayment. */
  prepayment?: Money;
  /** A cancellation at least this many seconds before the start refunds the prepayment. */
  refundWindowSec: number;
}

/** Who or what a busy interval blocks. */
export type ResourceKind = "merchant" | "staff" | "room";

/** A time range in which a merchant, a staff member or a room cannot be booked. */
export interface BusyInterval {
  merchantId: string;
  resourceKind: ResourceKind;
  /** Staff or room id; empty for the merchant as a whole. */
  resourceId: string;
  startSec: number;
  endSec: number;
}

/** The end of a slot, in seconds since the Unix epoch. */
export function slotEndSec(slot: SlotKey): number {
  return slot.startSec + slot.durationSec;
}

/** The default policy of a merchant that no policies file described. */
export function defaultMerchantPolicy(merchantId: string): MerchantPolicy {
  return { merchantId, name: "", timeZone: "UTC", maxActiveBookingsPerUser: 0, forbidOverlapping: false };
}

/** The default policy of a service that no policies file described: free, cancellable until it starts. */
export function defaultServicePolicy(merchantId: string, serviceId: string): ServicePolicy {
  return { merchantId, serviceId, minAdvanceCancellationSec: 0, refundWindowSec: 0 };
}

/** A slot as an availability feed offers it. */
export interface OfferedSlot extends SlotKey {
  spotsTotal: number;
  /** Spots open as the feed's source sees them, counting this server's bookings as taken. */
  spotsOpen: number;
  confirmationMode: ConfirmationMode;
  availabilityTag: string;
}

/** Which slots of a merchant to list: oldest start first, then by id, after `after`. */
export interface SlotListQuery {
  merchantId: string;
  serviceId?: string;
  /** Slots starting at or after this time. */
  fromSec?: number;
  /** Slots starting before this time. */
  toSec?: number;
  /** Continue after this slot (keyset paging). */
  after?: { startSec: number; slotId: number };
  limit: number;
}

/** A slot a merchant creates or changes directly (not through a feed). */
export interface SlotSpec extends SlotKey {
  spotsTotal: number;
  /** Spots taken outside this server. */
  spotsExternal: number;
}
