import type { BookingStore, BookingWriter } from "./booking-store.js";
import type { Clock } from "./clock.js";
import { bookingNotification, type NotificationPayload, type OutboxEntry } from "./outbox-entry.js";
import { currentAvailability } from "./slot-changes.js";

/** RetryNotification: queues a failed outbox entry for delivery again. */
export interface NotificationRetry {
  /**
   * Queues a failed entry again, due now, carrying its booking's or slot's state as it is now (its
   * update mask kept), so a stale entry never overwrites newer state the aggregator already holds. A
   * pending or delivered entry is answered as it is; undefined for an unknown id.
   */
  retry(entryId: number): Promise<OutboxEntry | undefined>;
}

/** Creates RetryNotification over the booking store: the refresh and the requeue are one write. */
export function createNotificationRetry(deps: { store: BookingStore; clock: Clock }): NotificationRetry {
  return {
    retry: (entryId) =>
      deps.store.write(async (writer) => {
        const entry = await writer.getNotification(entryId);
        if (entry?.state !== "failed") return entry;
        return writer.requeueNotification(entryId, await currentPayload(writer, entry, deps.clock.nowSec()));
      }),
  };
}

async function currentPayload(writer: BookingWriter, entry: OutboxEntry, nowSec: number): Promise<NotificationPayload> {
  const { payload } = entry;
  if (payload.kind === "booking") {
    const booking = await writer.getBooking(payload.booking.bookingId);
    return booking ? bookingNotification(booking, payload.updateMask, nowSec).payload : payload;
  }
  const slot = await writer.findSlot(payload.slot);
  // A slot deleted since has no open spot, as the update announcing its deletion said.
  return slot
    ? (await currentAvailability(writer, slot, nowSec)).payload
    : { ...payload, slot: { ...payload.slot, spotsOpen: 0 } };
}
