import type { LedgerEntry, PaymentLedger } from "../../payments/payment-processor.js";
import type { Sql } from "./postgres-pool.js";

interface LedgerRow {
  kind: LedgerEntry["kind"];
  idempotency_key: string;
  transaction_id: string;
  booking_id: string;
  amount_micros: number;
  currency_code: string;
  created_sec: number;
}

function entryFromRow(row: LedgerRow): LedgerEntry {
  return {
    kind: row.kind,
    idempotencyKey: row.idempotency_key,
    transactionId: row.transaction_id,
    bookingId: row.booking_id,
    amount: { priceMicros: row.amount_micros, currencyCode: row.currency_code },
    createdSec: row.created_sec,
  };
}

/**
 * The payment ledger inside one transaction; UNIQUE (kind, idempotency_key) makes a second charge for
 * one key impossible even if two transactions raced past `find`.
 */
export function paymentLedgerOf(sql: Sql): PaymentLedger {
  return {
    async find(kind, idempotencyKey) {
      const row = await sql.row<LedgerRow>("SELECT * FROM payment_ledger WHERE kind = $1 AND idempotency_key = $2", [
        kind,
        idempotencyKey,
      ]);
      return row ? entryFromRow(row) : undefined;
    },
    async insert(entry) {
      await sql.run(
        `INSERT INTO payment_ledger (kind, idempotency_key, transaction_id, booking_id, amount_micros,
           currency_code, created_sec)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          entry.kind,
          entry.idempotencyKey,
          entry.transactionId,
          entry.bookingId,
          entry.amount.priceMicros,
          entry.amount.currencyCode,
          entry.createdSec,
        ],
      );
    },
  };
}

/** Every charge and refund in the order they were written. */
export async function allLedgerEntries(sql: Sql): Promise<LedgerEntry[]> {
  return (await sql.rows<LedgerRow>("SELECT * FROM payment_ledger ORDER BY entry_id")).map(entryFromRow);
}
