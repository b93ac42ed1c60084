import type { AuditEntry, AuditQuery } from "./audit-entry.js";

/** The audit log's read side (entries are written through BookingWriter, in their change's transaction). */
export interface AuditLog {
  list(query: AuditQuery): Promise<AuditEntry[]>;
}
