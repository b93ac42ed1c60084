import type { PaymentLedger } from "../payments/payment-processor.js";
import type { NewAuditEntry } from "./audit-entry.js";
import type { Booking, BookingPayment, BookingStatus, ListedBooking, UserInfo } from "./booking.js";
import type { BookingChangesQuery, BookingListQuery } from "./booking-listing.js";
import type {
  BusyInterval,
  InventorySlot,
  MerchantPolicy,
  ServicePolicy,
  SlotKey,
  SlotListQuery,
  SlotQuery,
  SlotSpec,
} from "./inventory.js";
import type { NewManualBlock, StoredManualBlock } from "./manual-block.js";
import type { NewNotification, NotificationPayload, OutboxEntry } from "./outbox-entry.js";

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

/** The changes UpdateBooking and the merchant can make to a stored booking; each raises its version. */
export interface BookingChanges {
  status?: BookingStatus;
  slotId?: number;
  payment?: BookingPayment;
  nowSec: number;
}

/** Reads; each call sees committed data (inside a write, also what the write did so far). */
export interface BookingReader {
  /** The slots matching each query, in query order; durationSec 0 in a query matches any duration. */
  findSlots(queries: readonly SlotQuery[]): Promise<InventorySlot[][]>;
  findSlot(key: SlotKey): Promise<InventorySlot | undefined>;
  /** Busy intervals of a merchant overlapping [fromSec, toSec). */
  busyIntervals(merchantId: string, fromSec: number, toSec: number): Promise<BusyInterval[]>;
  /** A page of a merchant's slots (withdrawn ones included), by start time then slot id. */
  listSlots(query: SlotListQuery): Promise<InventorySlot[]>;
  /** Slots of a merchant starting after nowSec whose time overlaps [fromSec, toSec), by start then id. */
  slotsOverlapping(merchantId: string, fromSec: number, toSec: number, nowSec: number): Promise<InventorySlot[]>;
  merchantPolicy(merchantId: string): Promise<MerchantPolicy | undefined>;
  /** Every merchant's policy, by merchant id. */
  merchantPolicies(): Promise<MerchantPolicy[]>;
  servicePolicy(merchantId: string, serviceId: string): Promise<ServicePolicy | undefined>;
  /**
   * A booking by id, whoever made it: for the merchant's side and for re-reads. Inside a write, the
   * booking's row stays locked until the write ends (two changes of one booking queue).
   */
  getBooking(bookingId: string): Promise<Booking | undefined>;
  /**
   * A booking by id when `caller` (an aggregator) made it; another aggregator's booking is undefined.
   * Inside a write, locked like getBooking.
   */
  getBookingOf(caller: string, bookingId: string): Promise<Booking | undefined>;
  /**
   * Every booking of an aggregator's user, oldest first; user ids of two aggregators are different people.
   * The answer may be shared between calls: callers must not change it.
   */
  listBookingsOfUser(caller: string, userId: string): Promise<readonly ListedBooking[]>;
  /**
   * Bookings of an aggregator's user at a merchant that hold a spot and end after nowSec. Inside a write,
   * the user's bookings at the merchant stay locked until the write ends, so per-user policies hold
   * across replicas.
   */
  activeBookingsOfUser(caller: string, userId: string, merchantId: string, nowSec: number): Promise<Booking[]>;
  /**
   * The record of a caller's token. Inside a write, the token stays locked until the write ends, so a
   * concurrent request with the same token waits and then finds this write's record.
   */
  findIdempotencyRecord(caller: string, token: string): Promise<IdempotencyRecord | undefined>;
  /** A page of bookings of every aggregator, for the merchant's side. */
  listBookings(query: BookingListQuery): Promise<Booking[]>;
  /** Bookings changed at or after a sync mark, each with its change mark. */
  changedBookings(query: BookingChangesQuery): Promise<{ booking: Booking; changeMark: number }[]>;
  /**
   * A mark such that every booking change not yet visible to this read gets a mark at or above it: what
   * a later `changedBookings` starts from. Marks only grow.
   */
  syncMark(): Promise<number>;
}

/** Reads and writes inside one write transaction. */
export interface BookingWriter extends BookingReader {
  /** Takes one spot when one is left; false otherwise. The guard that makes overbooking impossible. */
  takeSpot(slotId: number): Promise<boolean>;
  releaseSpot(slotId: number): Promise<void>;
  /** The slot with this key, locked until the write ends (a booking of it waits, so its etag holds). */
  lockSlot(key: SlotKey): Promise<InventorySlot | undefined>;
  /**
   * Creates the slot (and its merchant and service, with default policies, when new) or sets its
   * capacity; either way it is in the feed again. Spots booked are never touched.
   */
  saveSlot(spec: SlotSpec): Promise<InventorySlot>;
  /**
   * Takes a slot out of the feed: deletes it when no booking refers to it, otherwise keeps it, not
   * bookable, for its bookings (as a feed import does).
   */
  removeSlot(slotId: number): Promise<"deleted" | "withdrawn">;
  /** Stores a manual block and records the bookings it overlaps as conflicts. */
  insertBlock(block: NewManualBlock, nowSec: number): Promise<StoredManualBlock>;
  /** Removes a manual block and clears its conflicts; undefined when there is none. */
  deleteBlock(blockId: string, nowSec: number): Promise<StoredManualBlock | undefined>;
  insertBooking(booking: NewBooking): Promise<void>;
  updateBooking(bookingId: string, changes: BookingChanges): Promise<void>;
  insertIdempotencyRecord(record: IdempotencyRecord): Promise<void>;
  /** Records who changed what, in the change's transaction. */
  appendAudit(entry: NewAuditEntry): Promise<void>;
  /** Queues a real-time update to the aggregator, in the change's transaction. */
  enqueueNotification(entry: NewNotification): Promise<void>;
  /** One outbox entry, locked until the write ends; undefined for an unknown id. */
  getNotification(entryId: number): Promise<OutboxEntry | undefined>;
  /** Queues a failed entry again, due now, with `payload` in place of the one it was written with. */
  requeueNotification(entryId: number, payload: NotificationPayload): Promise<OutboxEntry | undefined>;
  readonly ledger: PaymentLedger;
}

/**
 * The repository the booking domain depends on. `write` runs `fn` inside ONE write transaction and
 * resolves only once that transaction is durably committed; a throw from `fn` rolls back everything
 * `fn` wrote. `fn` awaits only the writer's methods (a store may run several writes' `fn`s in one
 * commit, or run `fn` again after a serialization failure), so it must have no other side effects.
 */
export interface BookingStore {
  read<T>(fn: (reader: BookingReader) => Promise<T>): Promise<T>;
  write<T>(fn: (writer: BookingWriter) => Promise<T>): Promise<T>;
}
