import type { AuditEntry, AuditQuery, NewAuditEntry } from "../../booking/audit-entry.js";
import type { Sql } from "./postgres-pool.js";

interface AuditRow {
  entry_id: number;
  at_sec: number;
  actor_kind: AuditEntry["actor"]["kind"];
  actor_id: string;
  action: AuditEntry["action"];
  booking_id: string;
  merchant_id: string;
  before_json: string | null;
  after_json: string | null;
  reason: string;
}

/** Writes one audit entry in the caller's transaction. */
export async function insertAuditEntry(sql: Sql, entry: NewAuditEntry): Promise<void> {
  await sql.run(
    `INSERT INTO audit_entry (at_sec, actor_kind, actor_id, action, booking_id, merchant_id, before_json,
       after_json, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      entry.atSec,
      entry.actor.kind,
      entry.actor.id,
      entry.action,
      entry.bookingId,
      entry.merchantId,
      entry.before ? JSON.stringify(entry.before) : null,
      entry.after ? JSON.stringify(entry.after) : null,
      entry.reason,
    ],
  );
}

/** Audit entries matching the query, oldest first. */
export async function listAuditEntries(sql: Sql, query: AuditQuery): Promise<AuditEntry[]> {
  const rows = await sql.rows<AuditRow>(
    `SELECT * FROM audit_entry
     WHERE ($1::text IS NULL OR booking_id = $1) AND ($2::text IS NULL OR merchant_id = $2)
       AND ($3::bigint IS NULL OR at_sec >= $3) AND ($4::bigint IS NULL OR at_sec < $4) AND entry_id > $5
     ORDER BY entry_id LIMIT $6`,
    [
      query.bookingId ?? null,
      query.merchantId ?? null,
      query.fromSec ?? null,
      query.toSec ?? null,
      query.afterEntryId ?? 0,
      query.limit,
    ],
  );
  return rows.map((row) => ({
    entryId: row.entry_id,
    atSec: row.at_sec,
    actor: { kind: row.actor_kind, id: row.actor_id },
    action: row.action,
    bookingId: row.booking_id,
    merchantId: row.merchant_id,
    ...(row.before_json ? { before: JSON.parse(row.before_json) as object } : {}),
    ...(row.after_json ? { after: JSON.parse(row.after_json) as object } : {}),
    reason: row.reason,
  }));
}
