import type { AuditLog } from "../../booking/audit-log.js";
import type { NotificationOutbox } from "../../booking/notification-outbox.js";
import { createAuditTable } from "./audit-table.js";
import { type ConnectionGate, gatedCalls } from "./connection-gate.js";
import type { SqliteDatabase } from "./open-database.js";
import { createOutboxTable } from "./outbox-table.js";

/**
 * The SQLite outbox and audit log read side. A claim is one IMMEDIATE transaction, so two processes on
 * one file never lease the same entry; the lease keeps it from both until it runs out.
 */
export function createSqliteOutboxStore(
  db: SqliteDatabase,
  gate: ConnectionGate,
): { outbox: NotificationOutbox; audit: AuditLog } {
  const outbox = createOutboxTable(db);
  const audit = createAuditTable(db);
  const guarded = gatedCalls(gate);
  const claim = db.transaction(outbox.claim);
  return {
    outbox: {
      claim: guarded((nowMs: number, limit: number, leaseMs: number) => claim.immediate(nowMs, limit, leaseMs)),
      markDelivered: guarded(outbox.markDelivered),
      markRetry: guarded(outbox.markRetry),
      markFailed: guarded(outbox.markFailed),
      list: guarded(outbox.list),
      get: guarded(outbox.get),
      depth: guarded(outbox.depth),
    },
    audit: { list: guarded(audit.list) },
  };
}
