import type { PaymentProcessor } from "../payments/payment-processor.js";
import { type AuditAction, bookingAuditEntry } from "./audit-entry.js";
import { judgeSlot } from "./availability-rule.js";
import { type Booking, type BookingPayment, holdsSpot } from "./booking.js";
import { bookingNotFound } from "./booking-error.js";
import { type BookingFailure, bookingFailure } from "./booking-failure.js";
import type { BookingWriter } from "./booking-store.js";
import { FailureRollback } from "./failure-rollback.js";
import { defaultMerchantPolicy, defaultServicePolicy, type SlotKey, slotEndSec } from "./inventory.js";
import { alreadyHeldFailure, cancellationWindowFailure, merchantPolicyFailure } from "./user-policy-rules.js";

/** A validated UpdateBooking request: cancel, or move to another start/duration/party size. */
export interface UpdateBookingInput {
  /** The aggregator asking; another aggregator's booking is answered as unknown. */
  caller: string;
  bookingId: string;
  cancel: boolean;
  /** New start and/or duration, when rescheduling; an absent one keeps its current value. */
  reschedule?: { startSec?: number; durationSec?: number };
  /** New party size, for dining. */
  partySize?: number;
}

/** What UpdateBooking came to; "unchanged" answers a repeated or empty change. */
export type UpdateBookingOutcome =
  | { kind: "updated" | "unchanged"; booking: Booking }
  | { kind: "failed"; failure: BookingFailure };

/** What changing a booking needs besides the transaction. */
export interface ChangeBookingDeps {
  payments: PaymentProcessor;
  nowSec: number;
}

/**
 * Applies an UpdateBooking inside one write transaction. Idempotent by content: cancelling a cancelled
 * booking or moving a booking to the slot it holds changes nothing and answers the booking as it is.
 */
export async function changeBooking(
  writer: BookingWriter,
  input: UpdateBookingInput,
  deps: ChangeBookingDeps,
): Promise<UpdateBookingOutcome> {
  const booking = await writer.getBookingOf(input.caller, input.bookingId);
  if (!booking) throw bookingNotFound();
  return input.cancel ? cancel(writer, booking, deps) : move(writer, booking, input, deps);
}

async function cancel(writer: BookingWriter, booking: Booking, deps: ChangeBookingDeps): Promise<UpdateBookingOutcome> {
  if (booking.status === "CANCELED") return { kind: "unchanged", booking };
  if (!holdsSpot(booking.status)) {
    return failed("BOOKING_NOT_CANCELLABLE", `a ${booking.status} booking cannot be cancelled`);
  }
  const { merchantId, serviceId, startSec } = booking.slot;
  const service = (await writer.servicePolicy(merchantId, serviceId)) ?? defaultServicePolicy(merchantId, serviceId);
  const late = cancellationWindowFailure(startSec, service.minAdvanceCancellationSec, deps.nowSec);
  if (late) return { kind: "failed", failure: late };
  await writer.releaseSpot(booking.slot.slotId);
  const refundable = deps.nowSec + service.refundWindowSec <= startSec;
  const payment = refundable ? await refundPayment(writer, booking, deps) : booking.payment;
  await writer.updateBooking(booking.bookingId, { status: "CANCELED", payment, nowSec: deps.nowSec });
  return audited(writer, "booking.cancelled", booking, deps.nowSec);
}

async function move(
  writer: BookingWriter,
  booking: Booking,
  input: UpdateBookingInput,
  deps: ChangeBookingDeps,
): Promise<UpdateBookingOutcome> {
  if (booking.status === "CANCELED") return failed("BOOKING_ALREADY_CANCELLED", "the booking is cancelled");
  if (!holdsSpot(booking.status)) {
    return failed("BOOKING_NOT_CANCELLABLE", `a ${booking.status} booking cannot be changed`);
  }
  const current = booking.slot;
  const targetKey: SlotKey = {
    ...keyOf(current),
    startSec: input.reschedule?.startSec ?? current.startSec,
    durationSec: input.reschedule?.durationSec ?? current.durationSec,
    partySize: input.partySize ?? current.partySize,
  };
  if (sameKey(targetKey, current)) return { kind: "unchanged", booking };

  const service = await writer.servicePolicy(current.merchantId, current.serviceId);
  const late = cancellationWindowFailure(current.startSec, service?.minAdvanceCancellationSec ?? 0, deps.nowSec);
  if (late) return { kind: "failed", failure: late };
  const target = await writer.findSlot(targetKey);
  const busy = target ? await writer.busyIntervals(target.merchantId, target.startSec, slotEndSec(target)) : [];
  const verdict = judgeSlot(target, busy, deps.nowSec);
  if (!target || (!verdict.bookable && verdict.reason !== "full")) {
    return failed("SLOT_UNAVAILABLE", `new slot is ${verdict.bookable ? "open" : verdict.reason}`);
  }
  const held = (
    await writer.activeBookingsOfUser(input.caller, booking.user.userId, current.merchantId, deps.nowSec)
  ).filter((other) => other.bookingId !== booking.bookingId);
  const heldFailure = alreadyHeldFailure(held, target);
  if (heldFailure) return { kind: "failed", failure: heldFailure };
  const merchant = (await writer.merchantPolicy(current.merchantId)) ?? defaultMerchantPolicy(current.merchantId);
  const policyFailure = merchantPolicyFailure(merchant, held, target, { addsBooking: false });
  if (policyFailure) return { kind: "failed", failure: policyFailure };
  // Both slots' rows change: taking them in slot-id order makes two opposite moves queue rather than
  // deadlock (a database would abort one of them, and only after its deadlock timeout).
  if (target.slotId < current.slotId) {
    if (!(await writer.takeSpot(target.slotId))) return failed("SLOT_UNAVAILABLE", "new slot is full");
    await writer.releaseSpot(current.slotId);
  } else {
    await writer.releaseSpot(current.slotId);
    if (!(await writer.takeSpot(target.slotId))) {
      throw new FailureRollback(bookingFailure("SLOT_UNAVAILABLE", "new slot is full"));
    }
  }
  await writer.updateBooking(booking.bookingId, { slotId: target.slotId, nowSec: deps.nowSec });
  return audited(writer, "booking.rescheduled", booking, deps.nowSec);
}

/** Refunds a booking's charge once; the refund's transaction id replaces the charge's. */
export async function refundPayment(
  writer: BookingWriter,
  booking: Booking,
  deps: ChangeBookingDeps,
): Promise<BookingPayment> {
  const { payment } = booking;
  if (payment.prepayment !== "PROVIDED" || !payment.price) return payment;
  const refunded = await deps.payments.refund(writer.ledger, {
    idempotencyKey: booking.bookingId,
    bookingId: booking.bookingId,
    amount: payment.price,
    nowSec: deps.nowSec,
  });
  if (!refunded.ok) {
    const { cause, description } = refunded.decline;
    throw new FailureRollback({ cause, description });
  }
  return { prepayment: "REFUNDED", transactionId: refunded.transactionId, price: payment.price };
}

/** Re-reads a booking an aggregator changed and writes the change's audit entry. */
async function audited(
  writer: BookingWriter,
  action: AuditAction,
  before: Booking,
  nowSec: number,
): Promise<UpdateBookingOutcome> {
  const after = await reread(writer, before.bookingId);
  // changeBooking reads the booking through getBookingOf, so its caller is the aggregator asking.
  const actor = { kind: "aggregator" as const, id: before.caller };
  await writer.appendAudit(bookingAuditEntry(action, actor, before, after, nowSec));
  return { kind: "updated", booking: after };
}

async function reread(writer: BookingWriter, bookingId: string): Promise<Booking> {
  const booking = await writer.getBooking(bookingId);
  if (!booking) throw new Error(`booking ${bookingId} vanished inside its own transaction`);
  return booking;
}

function keyOf(slot: SlotKey): SlotKey {
  const { merchantId, serviceId, startSec, durationSec, staffId, roomId, partySize } = slot;
  return { merchantId, serviceId, startSec, durationSec, staffId, roomId, partySize };
}

function sameKey(a: SlotKey, b: SlotKey): boolean {
  return a.startSec === b.startSec && a.durationSec === b.durationSec && a.partySize === b.partySize;
}

function failed(cause: BookingFailure["cause"], description: string): UpdateBookingOutcome {
  return { kind: "failed", failure: bookingFailure(cause, description) };
}
