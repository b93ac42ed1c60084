import type { AuditLog } from "../../booking/audit-log.js";
import type { NotificationOutbox } from "../../booking/notification-outbox.js";
import type { NewNotification, NotificationPayload, OutboxEntry } from "../../booking/outbox-entry.js";
import { type OutboxRow, outboxFromRow } from "../outbox-row.js";
import { listAuditEntries } from "./audit-queries.js";
import type { PostgresPool, Sql } from "./postgres-pool.js";

/** Writes one outbox entry in the caller's transaction. */
export async function insertOutboxEntry(sql: Sql, entry: NewNotification): Promise<void> {
  await sql.run(
    `INSERT INTO outbox_entry (entry_key, booking_id, merchant_id, service_id, payload_json, created_sec)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [entry.key, entry.bookingId, entry.merchantId, entry.serviceId, JSON.stringify(entry.payload), entry.createdSec],
  );
}

/** One outbox entry, locked until the caller's transaction ends. */
export async function lockOutboxEntry(sql: Sql, entryId: number): Promise<OutboxEntry | undefined> {
  const row = await sql.row<OutboxRow>("SELECT * FROM outbox_entry WHERE entry_id = $1 FOR UPDATE", [entryId]);
  return row ? outboxFromRow(row) : undefined;
}

/** Queues a failed entry again, due now, with a new payload, in the caller's transaction. */
export async function requeueOutboxEntry(
  sql: Sql,
  entryId: number,
  payload: NotificationPayload,
): Promise<OutboxEntry | undefined> {
  const row = await sql.row<OutboxRow>(
    `UPDATE outbox_entry SET state = 'pending', next_attempt_ms = 0, payload_json = $2
     WHERE entry_id = $1 AND state = 'failed' RETURNING *`,
    [entryId, JSON.stringify(payload)],
  );
  return row ? outboxFromRow(row) : lockOutboxEntry(sql, entryId);
}

/**
 * The PostgreSQL outbox and audit log read side. A claim locks due rows with FOR UPDATE SKIP LOCKED and
 * leases them in the same statement, so replicas claiming at once never get one entry twice.
 */
export function createPostgresOutboxStore(pool: PostgresPool): { outbox: NotificationOutbox; audit: AuditLog } {
  const write = <T>(fn: (sql: Sql) => Promise<T>) => pool.transaction(fn);
  const read = <T>(fn: (sql: Sql) => Promise<T>) => pool.transaction(fn, { readOnly: true });
  const byId = async (sql: Sql, entryId: number) => {
    const row = await sql.row<OutboxRow>("SELECT * FROM outbox_entry WHERE entry_id = $1", [entryId]);
    return row ? outboxFromRow(row) : undefined;
  };
  return {
    outbox: {
      claim: (nowMs, limit, leaseMs) =>
        write(async (sql) => {
          const rows = await sql.rows<OutboxRow>(
            `WITH due AS (
               SELECT o.entry_id FROM outbox_entry o
               WHERE o.state = 'pending' AND o.next_attempt_ms <= $1 AND o.lease_until_ms <= $1
                 AND NOT EXISTS (SELECT 1 FROM outbox_entry p
                                 WHERE p.state = 'pending' AND p.entry_key = o.entry_key AND p.entry_id < o.entry_id)
               ORDER BY o.entry_id LIMIT $2
               FOR UPDATE SKIP LOCKED)
             UPDATE outbox_entry SET lease_until_ms = $3 FROM due WHERE outbox_entry.entry_id = due.entry_id
             RETURNING outbox_entry.*`,
            [nowMs, limit, nowMs + leaseMs],
          );
          return rows.map(outboxFromRow).sort((a, b) => a.entryId - b.entryId);
        }),
      markDelivered: (entryId, nowSec) =>
        write(async (sql) => {
          await sql.run(
            `UPDATE outbox_entry SET state = 'delivered', attempts = attempts + 1, last_error = '',
               delivered_sec = $2, lease_until_ms = 0 WHERE entry_id = $1`,
            [entryId, nowSec],
          );
        }),
      markRetry: (entryId, error, nextAttemptMs) =>
        write(async (sql) => {
          await sql.run(
            `UPDATE outbox_entry SET attempts = attempts + 1, last_error = $2, next_attempt_ms = $3,
               lease_until_ms = 0 WHERE entry_id = $1`,
            [entryId, error, nextAttemptMs],
          );
        }),
      markFailed: (entryId, error) =>
        write(async (sql) => {
          await sql.run(
            `UPDATE outbox_entry SET state = 'failed', attempts = attempts + 1, last_error = $2, lease_until_ms = 0
             WHERE entry_id = $1`,
            [entryId, error],
          );
        }),
      list: (query) =>
        read(async (sql) => {
          const page = query.newestFirst ? "entry_id < $4 ORDER BY entry_id DESC" : "entry_id > $4 ORDER BY entry_id";
          const rows = await sql.rows<OutboxRow>(
            `SELECT * FROM outbox_entry
             WHERE ($1::text IS NULL OR booking_id = $1) AND ($2::text IS NULL OR merchant_id = $2)
               AND ($3::text[] IS NULL OR state = ANY($3)) AND ${page} LIMIT $5`,
            [
              query.bookingId ?? null,
              query.merchantId ?? null,
              query.states && query.states.length > 0 ? query.states : null,
              query.newestFirst ? (query.beforeEntryId ?? Number.MAX_SAFE_INTEGER) : (query.afterEntryId ?? 0),
              query.limit,
            ],
          );
          return rows.map(outboxFromRow);
        }),
      get: (entryId) => read((sql) => byId(sql, entryId)),
      depth: () =>
        read(async (sql) => {
          const row = await sql.row<{ pending: number; failed: number }>(
            `SELECT COUNT(*) FILTER (WHERE state = 'pending') AS pending, COUNT(*) FILTER (WHERE state = 'failed') AS failed
             FROM outbox_entry WHERE state <> 'delivered'`,
          );
          return row ?? { pending: 0, failed: 0 };
        }),
    },
    audit: { list: (query) => read((sql) => listAuditEntries(sql, query)) },
  };
}
