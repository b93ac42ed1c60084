import type { Money } from "../booking/inventory.js";

/** Payment causes a processor may refuse with; a subset of the booking failure causes. */
export type PaymentFailureCause =
  | "PAYMENT_ERROR_CARD_TYPE_REJECTED"
  | "PAYMENT_ERROR_CARD_DECLINED"
  | "PAYMENT_OPTION_NOT_VALID"
  | "PAYMENT_ERROR"
  | "USER_CANNOT_USE_PAYMENT_OPTION";

/** Every payment failure cause, for parsing configuration and test tokens. */
export const paymentFailureCauses: readonly PaymentFailureCause[] = [
  "PAYMENT_ERROR_CARD_TYPE_REJECTED",
  "PAYMENT_ERROR_CARD_DECLINED",
  "PAYMENT_OPTION_NOT_VALID",
  "PAYMENT_ERROR",
  "USER_CANNOT_USE_PAYMENT_OPTION",
];

/** One row of the payment ledger: a charge or a refund, unique per (kind, idempotency key). */
export interface LedgerEntry {
  kind: "charge" | "refund";
  idempotencyKey: string;
  transactionId: string;
  bookingId: string;
  amount: Money;
  createdSec: number;
}

/** The ledger as seen from inside the booking transaction: its writes commit with the booking or not at all. */
export interface PaymentLedger {
  find(kind: LedgerEntry["kind"], idempotencyKey: string): Promise<LedgerEntry | undefined>;
  insert(entry: LedgerEntry): Promise<void>;
}

/** The whole ledger, for operators and tests: every charge and refund in the order they were written. */
export interface PaymentLedgerReader {
  entries(): Promise<LedgerEntry[]>;
}

/** A request to charge a booking's prepayment. */
export interface ChargeRequest {
  /** The caller-scoped idempotency token of the CreateBooking call: one charge per key, ever. */
  idempotencyKey: string;
  bookingId: string;
  merchantId: string;
  serviceId: string;
  amount: Money;
  /** The payment method token the aggregator sent, or empty. */
  paymentToken: string;
  nowSec: number;
}

/** A request to refund a booking's charge. */
export interface RefundRequest {
  /** One refund per booking: the booking id is the key. */
  idempotencyKey: string;
  bookingId: string;
  amount: Money;
  nowSec: number;
}

/** A refused payment. */
export interface PaymentDecline {
  cause: PaymentFailureCause;
  description: string;
  /** The refused card brand, with PAYMENT_ERROR_CARD_TYPE_REJECTED. */
  rejectedCardType?: string;
}

/** What a charge or refund came to. */
export type PaymentOutcome = { ok: true; transactionId: string } | { ok: false; decline: PaymentDecline };

/**
 * Charges and refunds, keyed by idempotency key so a replay never moves money twice. Calls run inside
 * the booking transaction and write through the ledger they are given.
 */
export interface PaymentProcessor {
  charge(ledger: PaymentLedger, request: ChargeRequest): Promise<PaymentOutcome>;
  refund(ledger: PaymentLedger, request: RefundRequest): Promise<PaymentOutcome>;
}
