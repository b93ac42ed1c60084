import type { PaymentProcessor } from "../payments/payment-processor.js";
import { bookingAuditEntry } from "./audit-entry.js";
import { judgeSlot } from "./availability-rule.js";
import type { Booking, BookingPayment, UserInfo } from "./booking.js";
import { BookingError } from "./booking-error.js";
import { type BookingFailure, bookingFailure } from "./booking-failure.js";
import type { BookingWriter } from "./booking-store.js";
import { FailureRollback } from "./failure-rollback.js";
import { defaultMerchantPolicy, defaultServicePolicy, type Money, type SlotKey, slotEndSec } from "./inventory.js";
import { alreadyHeldFailure, merchantPolicyFailure } from "./user-policy-rules.js";

/** A validated CreateBooking request. */
export interface CreateBookingInput {
  /** The aggregator the call acts for; its idempotency tokens, user ids and bookings are its own. */
  caller: string;
  idempotencyToken: string;
  /** Hash of the request without its token. */
  fingerprint: string;
  slot: SlotKey;
  user: UserInfo;
  /** The payment method token the aggregator sent, or empty. */
  paymentToken: string;
  /** The price the aggregator showed the user, when it sent one. */
  expectedPrice?: Money;
  offerId: string;
  leaseId: string;
  /** Encodes the success response; its bytes are stored for replays in the same transaction. */
  render: (booking: Booking) => Uint8Array;
}

/** What CreateBooking came to. */
export type CreateBookingOutcome =
  | { kind: "created"; response: Uint8Array; booking: Booking }
  | { kind: "replayed"; response: Uint8Array }
  | { kind: "failed"; failure: BookingFailure };

/** What placing a booking needs besides the transaction. */
export interface PlaceBookingDeps {
  payments: PaymentProcessor;
  nowSec: number;
  newBookingId: () => string;
}

/** The replay of a stored success for this caller and token, or undefined when there is none. */
export async function replayOf(
  writer: Pick<BookingWriter, "findIdempotencyRecord">,
  input: Pick<CreateBookingInput, "caller" | "idempotencyToken" | "fingerprint">,
): Promise<CreateBookingOutcome | undefined> {
  const record = await writer.findIdempotencyRecord(input.caller, input.idempotencyToken);
  if (!record) return undefined;
  if (record.fingerprint !== input.fingerprint) {
    throw new BookingError("IDEMPOTENCY_TOKEN_REUSED", "idempotency_token was already used for a different request");
  }
  return { kind: "replayed", response: record.response };
}

/**
 * Books a slot inside one write transaction: re-checks the token, applies the availability rule and
 * the merchant's rules, takes a spot, charges once, stores the booking and its replayable response.
 */
export async function placeBooking(
  writer: BookingWriter,
  input: CreateBookingInput,
  deps: PlaceBookingDeps,
): Promise<CreateBookingOutcome> {
  // Re-checked inside the transaction: a concurrent request with the same token may have committed.
  const replay = await replayOf(writer, input);
  if (replay) return replay;
  const failed = (failure: BookingFailure) => ({ kind: "failed" as const, failure });
  const { nowSec } = deps;

  const slot = await writer.findSlot(input.slot);
  const busy = slot ? await writer.busyIntervals(slot.merchantId, slot.startSec, slotEndSec(slot)) : [];
  const verdict = judgeSlot(slot, busy, nowSec);
  if (!slot || (!verdict.bookable && verdict.reason !== "full")) {
    return failed(bookingFailure("SLOT_UNAVAILABLE", `slot is ${verdict.bookable ? "open" : verdict.reason}`));
  }
  const held = await writer.activeBookingsOfUser(input.caller, input.user.userId, slot.merchantId, nowSec);
  const heldFailure = alreadyHeldFailure(held, slot);
  if (heldFailure) return failed(heldFailure);
  if (!verdict.bookable) return failed(bookingFailure("SLOT_UNAVAILABLE", "slot is full"));
  const merchant = (await writer.merchantPolicy(slot.merchantId)) ?? defaultMerchantPolicy(slot.merchantId);
  const policyFailure = merchantPolicyFailure(merchant, held, slot, { addsBooking: true });
  if (policyFailure) return failed(policyFailure);
  if (input.leaseId !== "") return failed(bookingFailure("LEASE_EXPIRED", "this server issues no leases"));
  if (input.offerId !== "")
    return failed(bookingFailure("OFFER_UNAVAILABLE", "offer_id names no offer of this merchant"));

  const service =
    (await writer.servicePolicy(slot.merchantId, slot.serviceId)) ??
    defaultServicePolicy(slot.merchantId, slot.serviceId);
  const price = service.prepayment;
  if (price && input.expectedPrice && !samePrice(price, input.expectedPrice)) {
    return failed(bookingFailure("PAYMENT_ERROR", "payment_information.price does not match the service's price"));
  }
  if (!(await writer.takeSpot(slot.slotId))) return failed(bookingFailure("SLOT_UNAVAILABLE", "slot is full"));

  const bookingId = deps.newBookingId();
  let payment: BookingPayment = { prepayment: "NOT_PROVIDED", transactionId: "" };
  if (price) {
    const charged = await deps.payments.charge(writer.ledger, {
      idempotencyKey: `${input.caller}:${input.idempotencyToken}`,
      bookingId,
      merchantId: slot.merchantId,
      serviceId: slot.serviceId,
      amount: price,
      paymentToken: input.paymentToken,
      nowSec,
    });
    if (!charged.ok) {
      const { cause, description, rejectedCardType } = charged.decline;
      throw new FailureRollback({ cause, description, ...(rejectedCardType ? { rejectedCardType } : {}) });
    }
    payment = { prepayment: "PROVIDED", transactionId: charged.transactionId, price };
  }
  const status = slot.confirmationMode === "ASYNCHRONOUS" ? "PENDING_MERCHANT_CONFIRMATION" : "CONFIRMED";
  await writer.insertBooking({
    bookingId,
    slotId: slot.slotId,
    caller: input.caller,
    user: input.user,
    status,
    payment,
    nowSec,
  });
  const booking: Booking = {
    bookingId,
    caller: input.caller,
    slot: { ...slot, spotsBooked: slot.spotsBooked + 1 },
    user: input.user,
    status,
    payment,
    createdSec: nowSec,
    updatedSec: nowSec,
    version: 1,
  };
  await writer.appendAudit(
    bookingAuditEntry("booking.created", { kind: "aggregator", id: input.caller }, undefined, booking, nowSec),
  );
  const response = input.render(booking);
  await writer.insertIdempotencyRecord({
    caller: input.caller,
    token: input.idempotencyToken,
    fingerprint: input.fingerprint,
    bookingId,
    response,
    createdSec: nowSec,
  });
  return { kind: "created", response, booking };
}

function samePrice(a: Money, b: Money): boolean {
  return a.priceMicros === b.priceMicros && a.currencyCode.toUpperCase() === b.currencyCode.toUpperCase();
}
