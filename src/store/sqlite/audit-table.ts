import type { AuditEntry, AuditQuery, NewAuditEntry } from "../../booking/audit-entry.js";
import type { SqliteDatabase } from "./open-database.js";

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

function auditFromRow(row: AuditRow): AuditEntry {
  return {
    entryId: row.entry_id,
    atSec: row.at_sec,
    actor: { kind: row.actor_kind, id: row.actor_id },
    action: row.action,
    bookingId: row.booking_id,
    merchantId: row.merchant_id,
    ...(row.before_json ? { before: JSON.parse(row.before_json) as object } : {}),
    ...(row.after_json ? { after: JSON.parse(row.after_json) as object } : {}),
    reason: row.reason,
  };
}

/** Statements over the audit log. */
export function createAuditTable(db: SqliteDatabase) {
  const insert = db.prepare(
    `INSERT INTO audit_entry (at_sec, actor_kind, actor_id, action, booking_id, merchant_id, before_json,
       after_json, reason)
     VALUES (@atSec, @actorKind, @actorId, @action, @bookingId, @merchantId, @beforeJson, @afterJson, @reason)`,
  );
  const list = db.prepare<Record<string, unknown>, AuditRow>(
    `SELECT * FROM audit_entry
     WHERE (@bookingId IS NULL OR booking_id = @bookingId) AND (@merchantId IS NULL OR merchant_id = @merchantId)
       AND (@fromSec IS NULL OR at_sec >= @fromSec) AND (@toSec IS NULL OR at_sec < @toSec) AND entry_id > @after
     ORDER BY entry_id LIMIT @limit`,
  );
  return {
    insert(entry: NewAuditEntry): void {
      insert.run({
        atSec: entry.atSec,
        actorKind: entry.actor.kind,
        actorId: entry.actor.id,
        action: entry.action,
        bookingId: entry.bookingId,
        merchantId: entry.merchantId,
        beforeJson: entry.before ? JSON.stringify(entry.before) : null,
        afterJson: entry.after ? JSON.stringify(entry.after) : null,
        reason: entry.reason,
      });
    },
    list(query: AuditQuery): AuditEntry[] {
      return list
        .all({
          bookingId: query.bookingId ?? null,
          merchantId: query.merchantId ?? null,
          fromSec: query.fromSec ?? null,
          toSec: query.toSec ?? null,
          after: query.afterEntryId ?? 0,
          limit: query.limit,
        })
        .map(auditFromRow);
    },
  };
}
