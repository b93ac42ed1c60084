import { randomBytes } from "node:crypto";
import type {
  ChargeRequest,
  LedgerEntry,
  PaymentDecline,
  PaymentLedger,
  PaymentOutcome,
  PaymentProcessor,
  RefundRequest,
} from "./payment-processor.js";

/** Decides whether a charge is refused; undefined accepts it. */
export type DeclineRule = (request: ChargeRequest) => PaymentDecline | undefined;

/** Options of the built-in ledger processor. */
export interface LedgerPaymentProcessorOptions {
  /** Refuses some charges deterministically, to exercise PAYMENT_* paths; none by default. */
  declineRule?: DeclineRule;
}

/**
 * The built-in processor: it moves no real money and records every charge and refund in the store's
 * ledger, once per (kind, idempotency key), inside the booking transaction.
 */
export function createLedgerPaymentProcessor(options: LedgerPaymentProcessorOptions = {}): PaymentProcessor {
  const record = async (ledger: PaymentLedger, entry: Omit<LedgerEntry, "transactionId">, prefix: string) => {
    const existing = await ledger.find(entry.kind, entry.idempotencyKey);
    if (existing) return { ok: true as const, transactionId: existing.transactionId };
    const transactionId = `${prefix}_${randomBytes(12).toString("hex")}`;
    await ledger.insert({ ...entry, transactionId });
    return { ok: true as const, transactionId };
  };
  return {
    async charge(ledger: PaymentLedger, request: ChargeRequest): Promise<PaymentOutcome> {
      if (!(await ledger.find("charge", request.idempotencyKey))) {
        const decline = options.declineRule?.(request);
        if (decline) return { ok: false, decline };
      }
      const { idempotencyKey, bookingId, amount, nowSec } = request;
      return record(ledger, { kind: "charge", idempotencyKey, bookingId, amount, createdSec: nowSec }, "ch");
    },
    refund(ledger: PaymentLedger, request: RefundRequest): Promise<PaymentOutcome> {
      const { idempotencyKey, bookingId, amount, nowSec } = request;
      return record(ledger, { kind: "refund", idempotencyKey, bookingId, amount, createdSec: nowSec }, "re");
    },
  };
}
