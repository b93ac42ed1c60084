import type { PaymentProcessor } from "../payments/payment-processor.js";
import { type Actor, type AuditAction, bookingAuditEntry } from "./audit-entry.js";
import { judgeSlot } from "./availability-rule.js";
import { type Booking, holdsSpot } from "./booking.js";
import { BookingError, bookingNotFound } from "./booking-error.js";
import type { BookingWriter } from "./booking-store.js";
import { refundPayment } from "./change-booking.js";
import { checkBookingEtag } from "./etag.js";
import { type SlotKey, slotEndSec } from "./inventory.js";
import { bookingNotification } from "./outbox-entry.js";
import { announceSlot } from "./slot-changes.js";

/** A merchant's answer to a booking waiting for confirmation. */
export type MerchantDecision = "confirm" | "decline";

/** Who asks for a merchant-side change of which booking, against which version of it. */
export interface MerchantChange {
  bookingId: string;
  /** The etag the change was made against; empty skips the check. */
  etag: string;
  actor: Actor;
  reason?: string;
}

/** A move to another start, duration or party size of the same service, staff member and room. */
export interface MerchantReschedule extends MerchantChange {
  startSec?: number;
  durationSec?: number;
  partySize?: number;
}

/** What a merchant-side change needs besides the transaction. */
export interface MerchantChangeDeps {
  payments: PaymentProcessor;
  nowSec: number;
}

/** What a change did to a booking, for its audit entry and real-time update. */
interface Applied {
  action: AuditAction;
  updateMask: string[];
  /** Slots whose open spots changed and whose availability the aggregator should hear about. */
  freedOrTaken: number[];
}

/**
 * Runs one merchant-side change inside a write: reads the booking (locked), answers it as it is when
 * `done` says the change already happened (a repeat), checks the etag, applies the change, and writes
 * its audit entry and outbox entries in the same transaction.
 */
async function change(
  writer: BookingWriter,
  request: MerchantChange,
  deps: MerchantChangeDeps,
  done: (booking: Booking) => boolean,
  apply: (booking: Booking) => Promise<Applied>,
): Promise<Booking> {
  const before = await writer.getBooking(request.bookingId);
  if (!before) throw bookingNotFound();
  if (done(before)) return before;
  checkBookingEtag(before, request.etag);
  const applied = await apply(before);
  const after = await writer.getBooking(request.bookingId);
  if (!after) throw new Error(`booking ${request.bookingId} vanished inside its own transaction`);
  await writer.appendAudit(
    bookingAuditEntry(applied.action, request.actor, before, after, deps.nowSec, request.reason),
  );
  await writer.enqueueNotification(bookingNotification(after, applied.updateMask, deps.nowSec));
  for (const slotId of applied.freedOrTaken) {
    // Only the booking's old and new slots are ever named; the new one was just read with the booking.
    const current = slotId === after.slot.slotId ? after.slot : await writer.findSlot(keyOfSlot(before.slot));
    // announceSlot applies the availability rule, so a blocked slot announces no open spot.
    if (current) await announceSlot(writer, current, deps.nowSec);
  }
  return after;
}

function conflict(booking: Booking, what: string): BookingError {
  return new BookingError("BOOKING_STATE_CONFLICT", `a ${booking.status} booking cannot be ${what}`);
}

/** Cancels on the merchant's behalf: no cancellation window applies, and a prepayment is refunded. */
export function merchantCancel(writer: BookingWriter, request: MerchantChange, deps: MerchantChangeDeps) {
  return change(
    writer,
    request,
    deps,
    (b) => b.status === "CANCELED",
    async (booking) => {
      if (!holdsSpot(booking.status)) throw conflict(booking, "cancelled");
      await writer.releaseSpot(booking.slot.slotId);
      const payment = await refundPayment(writer, booking, deps);
      await writer.updateBooking(booking.bookingId, { status: "CANCELED", payment, nowSec: deps.nowSec });
      return { action: "booking.cancelled", updateMask: ["status"], freedOrTaken: [booking.slot.slotId] };
    },
  );
}

/** Confirms, or declines (freeing the spot, refunding), a PENDING_MERCHANT_CONFIRMATION booking. */
export function merchantDecide(
  writer: BookingWriter,
  request: MerchantChange,
  decision: MerchantDecision,
  deps: MerchantChangeDeps,
) {
  const target = decision === "confirm" ? "CONFIRMED" : "DECLINED_BY_MERCHANT";
  return change(
    writer,
    request,
    deps,
    (b) => b.status === target,
    async (booking) => {
      if (booking.status !== "PENDING_MERCHANT_CONFIRMATION") {
        throw new BookingError("BOOKING_NOT_PENDING", `the booking is ${booking.status}, not pending`);
      }
      if (decision === "confirm") {
        await writer.updateBooking(booking.bookingId, { status: target, nowSec: deps.nowSec });
        return { action: "booking.confirmed", updateMask: ["status"], freedOrTaken: [] };
      }
      await writer.releaseSpot(booking.slot.slotId);
      const payment = await refundPayment(writer, booking, deps);
      await writer.updateBooking(booking.bookingId, { status: target, payment, nowSec: deps.nowSec });
      return { action: "booking.declined", updateMask: ["status"], freedOrTaken: [booking.slot.slotId] };
    },
  );
}

/**
 * Records a no-show of a CONFIRMED booking that has started: NO_SHOW_PENALIZED when its prepayment is
 * kept (the policy: a no-show forfeits what was paid), NO_SHOW otherwise. The spot is released.
 */
export function merchantNoShow(writer: BookingWriter, request: MerchantChange, deps: MerchantChangeDeps) {
  return change(
    writer,
    request,
    deps,
    (b) => b.status === "NO_SHOW" || b.status === "NO_SHOW_PENALIZED",
    async (booking) => {
      if (booking.status !== "CONFIRMED") throw conflict(booking, "marked as a no-show");
      if (booking.slot.startSec > deps.nowSec) {
        throw new BookingError("BOOKING_STATE_CONFLICT", "a booking that has not started cannot be a no-show");
      }
      const status = booking.payment.prepayment === "PROVIDED" ? "NO_SHOW_PENALIZED" : "NO_SHOW";
      await writer.releaseSpot(booking.slot.slotId);
      await writer.updateBooking(booking.bookingId, { status, nowSec: deps.nowSec });
      return { action: "booking.no_show", updateMask: ["status"], freedOrTaken: [] };
    },
  );
}

/** Moves a booking under THE availability rule (the merchant is not bound by the cancellation window). */
export function merchantReschedule(writer: BookingWriter, request: MerchantReschedule, deps: MerchantChangeDeps) {
  const targetOf = (booking: Booking): SlotKey => ({
    ...keyOfSlot(booking.slot),
    startSec: request.startSec ?? booking.slot.startSec,
    durationSec: request.durationSec ?? booking.slot.durationSec,
    partySize: request.partySize ?? booking.slot.partySize,
  });
  return change(
    writer,
    request,
    deps,
    (b) => holdsSpot(b.status) && sameKey(targetOf(b), b.slot),
    async (booking) => {
      if (!holdsSpot(booking.status)) throw conflict(booking, "rescheduled");
      const target = await writer.findSlot(targetOf(booking));
      const busy = target ? await writer.busyIntervals(target.merchantId, target.startSec, slotEndSec(target)) : [];
      const verdict = judgeSlot(target, busy, deps.nowSec);
      if (!target || !verdict.bookable || !(await writer.takeSpot(target.slotId))) {
        const why = verdict.bookable ? "full" : verdict.reason;
        throw new BookingError("BOOKING_CHANGE_REFUSED", `the new slot is ${why}`, {
          failureCause: "SLOT_UNAVAILABLE",
        });
      }
      await writer.releaseSpot(booking.slot.slotId);
      await writer.updateBooking(booking.bookingId, { slotId: target.slotId, nowSec: deps.nowSec });
      const updateMask = [
        "startTime",
        "duration",
        ...(target.partySize !== booking.slot.partySize ? ["partySize"] : []),
      ];
      return { action: "booking.rescheduled", updateMask, freedOrTaken: [booking.slot.slotId, target.slotId] };
    },
  );
}

function keyOfSlot(slot: SlotKey): SlotKey {
  const { merchantId, serviceId, startSec, durationSec, staffId, roomId, partySize } = slot;
  return { merchantId, serviceId, startSec, durationSec, staffId, roomId, partySize };
}

function sameKey(a: SlotKey, b: SlotKey): boolean {
  return a.startSec === b.startSec && a.durationSec === b.durationSec && a.partySize === b.partySize;
}
