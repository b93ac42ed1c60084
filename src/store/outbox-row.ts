import type { NotificationPayload, OutboxEntry } from "../booking/outbox-entry.js";

/** An outbox row; both backends have the same columns. */
export interface OutboxRow {
  entry_id: number;
  entry_key: string;
  booking_id: string;
  merchant_id: string;
  service_id: string;
  payload_json: string;
  state: OutboxEntry["state"];
  attempts: number;
  last_error: string;
  next_attempt_ms: number;
  created_sec: number;
  delivered_sec: number;
}

/** The domain entry of an outbox row. */
export function outboxFromRow(row: OutboxRow): OutboxEntry {
  return {
    entryId: row.entry_id,
    key: row.entry_key,
    bookingId: row.booking_id,
    merchantId: row.merchant_id,
    serviceId: row.service_id,
    payload: JSON.parse(row.payload_json) as NotificationPayload,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    nextAttemptMs: row.next_attempt_ms,
    createdSec: row.created_sec,
    deliveredSec: row.delivered_sec,
  };
}
