import type { NotificationQuery } from "../../booking/notification-outbox.js";
import type { NewNotification, NotificationPayload, OutboxEntry } from "../../booking/outbox-entry.js";
import { type OutboxRow, outboxFromRow } from "../outbox-row.js";
import type { SqliteDatabase } from "./open-database.js";

/** Statements over the outbox; the caller runs the claim in a write transaction. */
export function createOutboxTable(db: SqliteDatabase) {
  const insert = db.prepare(
    `INSERT INTO outbox_entry (entry_key, booking_id, merchant_id, service_id, payload_json, created_sec)
     VALUES (@key, @bookingId, @merchantId, @serviceId, @payloadJson, @createdSec)`,
  );
  const due = db.prepare<[number, number, number], OutboxRow>(
    `SELECT * FROM outbox_entry o
     WHERE o.state = 'pending' AND o.next_attempt_ms <= ? AND o.lease_until_ms <= ?
       AND NOT EXISTS (SELECT 1 FROM outbox_entry p
                       WHERE p.state = 'pending' AND p.entry_key = o.entry_key AND p.entry_id < o.entry_id)
     ORDER BY o.entry_id LIMIT ?`,
  );
  const lease = db.prepare<[number, number]>("UPDATE outbox_entry SET lease_until_ms = ? WHERE entry_id = ?");
  const delivered = db.prepare<[number, number]>(
    `UPDATE outbox_entry SET state = 'delivered', attempts = attempts + 1, last_error = '', delivered_sec = ?,
       lease_until_ms = 0 WHERE entry_id = ?`,
  );
  const retryLater = db.prepare<[string, number, number]>(
    `UPDATE outbox_entry SET attempts = attempts + 1, last_error = ?, next_attempt_ms = ?, lease_until_ms = 0
     WHERE entry_id = ?`,
  );
  const failed = db.prepare<[string, number]>(
    `UPDATE outbox_entry SET state = 'failed', attempts = attempts + 1, last_error = ?, lease_until_ms = 0
     WHERE entry_id = ?`,
  );
  const requeue = db.prepare<[string, number]>(
    `UPDATE outbox_entry SET state = 'pending', next_attempt_ms = 0, payload_json = ?
     WHERE entry_id = ? AND state = 'failed'`,
  );
  const byId = db.prepare<[number], OutboxRow>("SELECT * FROM outbox_entry WHERE entry_id = ?");
  const listWhere = `(@bookingId IS NULL OR booking_id = @bookingId) AND (@merchantId IS NULL OR merchant_id = @merchantId)
       AND (@states IS NULL OR instr(@states, ',' || state || ',') > 0)`;
  const list = db.prepare<Record<string, unknown>, OutboxRow>(
    `SELECT * FROM outbox_entry WHERE ${listWhere} AND entry_id > @after ORDER BY entry_id LIMIT @limit`,
  );
  const listNewest = db.prepare<Record<string, unknown>, OutboxRow>(
    `SELECT * FROM outbox_entry WHERE ${listWhere} AND entry_id < @before ORDER BY entry_id DESC LIMIT @limit`,
  );
  const depth = db.prepare<[], { pending: number; failed: number }>(
    `SELECT COALESCE(SUM(state = 'pending'), 0) AS pending, COALESCE(SUM(state = 'failed'), 0) AS failed
     FROM outbox_entry WHERE state <> 'delivered'`,
  );
  return {
    insert(entry: NewNotification): void {
      insert.run({
        key: entry.key,
        bookingId: entry.bookingId,
        merchantId: entry.merchantId,
        serviceId: entry.serviceId,
        payloadJson: JSON.stringify(entry.payload),
        createdSec: entry.createdSec,
      });
    },
    claim(nowMs: number, limit: number, leaseMs: number): OutboxEntry[] {
      const rows = due.all(nowMs, nowMs, limit);
      for (const row of rows) lease.run(nowMs + leaseMs, row.entry_id);
      return rows.map(outboxFromRow);
    },
    markDelivered: (entryId: number, nowSec: number) => void delivered.run(nowSec, entryId),
    markRetry: (entryId: number, error: string, nextAttemptMs: number) =>
      void retryLater.run(error, nextAttemptMs, entryId),
    markFailed: (entryId: number, error: string) => void failed.run(error, entryId),
    get(entryId: number): OutboxEntry | undefined {
      const row = byId.get(entryId);
      return row ? outboxFromRow(row) : undefined;
    },
    /** Queues a failed entry again, due now, with a new payload; the caller runs it in a write. */
    requeue(entryId: number, payload: NotificationPayload): OutboxEntry | undefined {
      requeue.run(JSON.stringify(payload), entryId);
      const row = byId.get(entryId);
      return row ? outboxFromRow(row) : undefined;
    },
    list(query: NotificationQuery): OutboxEntry[] {
      const filters = {
        bookingId: query.bookingId ?? null,
        merchantId: query.merchantId ?? null,
        states: query.states && query.states.length > 0 ? `,${query.states.join(",")},` : null,
        limit: query.limit,
      };
      const rows = query.newestFirst
        ? listNewest.all({ ...filters, before: query.beforeEntryId ?? Number.MAX_SAFE_INTEGER })
        : list.all({ ...filters, after: query.afterEntryId ?? 0 });
      return rows.map(outboxFromRow);
    },
    depth: () => depth.get() ?? { pending: 0, failed: 0 },
  };
}
