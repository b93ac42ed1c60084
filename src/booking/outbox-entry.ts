import type { Booking, BookingStatus } from "./booking.js";
import type { InventorySlot } from "./inventory.js";

/** A booking's state as a real-time update carries it. */
export interface BookingUpdate {
  bookingId: string;
  merchantId: string;
  serviceId: string;
  startSec: number;
  durationSec: number;
  partySize: number;
  status: BookingStatus;
}

/** One slot's availability as a real-time update carries it. */
export interface AvailabilityUpdate {
  merchantId: string;
  serviceId: string;
  startSec: number;
  durationSec: number;
  staffId: string;
  roomId: string;
  partySize: number;
  spotsTotal: number;
  spotsOpen: number;
}

/** What an outbox entry tells the aggregator. */
export type NotificationPayload =
  | { kind: "booking"; booking: BookingUpdate; updateMask: string[] }
  | { kind: "availability"; slot: AvailabilityUpdate };

/** An outbox entry about to be written, in the transaction of the change it announces. */
export interface NewNotification {
  /** Entries with one key are delivered in the order they were written (one booking, one slot). */
  key: string;
  bookingId: string;
  merchantId: string;
  serviceId: string;
  payload: NotificationPayload;
  createdSec: number;
}

/** Where an entry is in its delivery. */
export type NotificationState = "pending" | "delivered" | "failed";

/** A stored outbox entry with its delivery state. */
export interface OutboxEntry extends NewNotification {
  entryId: number;
  state: NotificationState;
  attempts: number;
  lastError: string;
  /** Not sent before this time, in milliseconds since the epoch (backoff); meaningful while pending. */
  nextAttemptMs: number;
  deliveredSec: number;
}

/** The outbox entry announcing a merchant-side change of a booking; `updateMask` names what changed. */
export function bookingNotification(booking: Booking, updateMask: string[], nowSec: number): NewNotification {
  const { slot } = booking;
  return {
    key: `booking:${booking.bookingId}`,
    bookingId: booking.bookingId,
    merchantId: slot.merchantId,
    serviceId: slot.serviceId,
    payload: {
      kind: "booking",
      booking: {
        bookingId: booking.bookingId,
        merchantId: slot.merchantId,
        serviceId: slot.serviceId,
        startSec: slot.startSec,
        durationSec: slot.durationSec,
        partySize: slot.partySize,
        status: booking.status,
      },
      updateMask,
    },
    createdSec: nowSec,
  };
}

/**
 * The outbox entry announcing a slot's availability as it stands after a change; a slot a busy interval
 * blocks has no open spot.
 */
export function availabilityNotification(slot: InventorySlot, nowSec: number, blocked = false): NewNotification {
  const open = slot.inFeed && !blocked ? Math.max(0, slot.spotsTotal - slot.spotsExternal - slot.spotsBooked) : 0;
  return {
    key: `slot:${slot.slotId}`,
    bookingId: "",
    merchantId: slot.merchantId,
    serviceId: slot.serviceId,
    payload: {
      kind: "availability",
      slot: {
        merchantId: slot.merchantId,
        serviceId: slot.serviceId,
        startSec: slot.startSec,
        durationSec: slot.durationSec,
        staffId: slot.staffId,
        roomId: slot.roomId,
        partySize: slot.partySize,
        spotsTotal: slot.spotsTotal,
        spotsOpen: open,
      },
    },
    createdSec: nowSec,
  };
}
