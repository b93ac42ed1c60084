import type { LedgerEntry } from "../../payments/payment-processor.js";
import type { SqliteDatabase } from "./open-database.js";

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

/** The payment ledger table; UNIQUE (kind, idempotency_key) makes a second charge for one key impossible. */
export function createPaymentLedgerTable(db: SqliteDatabase) {
  const find = db.prepare<[string, string], LedgerRow>(
    "SELECT * FROM payment_ledger WHERE kind = ? AND idempotency_key = ?",
  );
  const insert = db.prepare(
    `INSERT INTO payment_ledger (kind, idempotency_key, transaction_id, booking_id, amount_micros, currency_code, created_sec)
     VALUES (@kind, @idempotencyKey, @transactionId, @bookingId, @amountMicros, @currencyCode, @createdSec)`,
  );
  const all = db.prepare<[], LedgerRow>("SELECT * FROM payment_ledger ORDER BY entry_id");
  return {
    find(kind: LedgerEntry["kind"], idempotencyKey: string): LedgerEntry | undefined {
      const row = find.get(kind, idempotencyKey);
      return row ? entryFromRow(row) : undefined;
    },
    insert(entry: LedgerEntry): void {
      insert.run({
        kind: entry.kind,
        idempotencyKey: entry.idempotencyKey,
        transactionId: entry.transactionId,
        bookingId: entry.bookingId,
        amountMicros: entry.amount.priceMicros,
        currencyCode: entry.amount.currencyCode,
        createdSec: entry.createdSec,
      });
    },
    all: (): LedgerEntry[] => all.all().map(entryFromRow),
  };
}
