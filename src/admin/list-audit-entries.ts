import type { MessageInitShape } from "@bufbuild/protobuf";
import type {
  ListAuditEntriesRequest,
  ListAuditEntriesResponseSchema,
} from "../../gen/booking/admin/v1/admin_service_pb.js";
import type { AuditLog } from "../booking/audit-log.js";
import { afterIdOf, nextIdToken, pageSizeOf } from "./page-size.js";

/** ListAuditEntries: who changed which booking or slot, oldest first, filtered by booking, merchant and time. */
export function createListAuditEntriesHandler(audit: AuditLog) {
  return async (req: ListAuditEntriesRequest): Promise<MessageInitShape<typeof ListAuditEntriesResponseSchema>> => {
    const limit = pageSizeOf(req.pageSize);
    const afterEntryId = afterIdOf(req.pageToken);
    const entries = await audit.list({
      ...(req.bookingId ? { bookingId: req.bookingId } : {}),
      ...(req.merchantId ? { merchantId: req.merchantId } : {}),
      ...(req.timeSecMin > 0n ? { fromSec: Number(req.timeSecMin) } : {}),
      ...(req.timeSecMax > 0n ? { toSec: Number(req.timeSecMax) } : {}),
      ...(afterEntryId !== undefined ? { afterEntryId } : {}),
      limit,
    });
    return {
      entries: entries.map((entry) => ({
        entryId: String(entry.entryId),
        timeSec: BigInt(entry.atSec),
        actorKind: entry.actor.kind,
        actor: entry.actor.id,
        action: entry.action,
        bookingId: entry.bookingId,
        merchantId: entry.merchantId,
        beforeJson: entry.before ? JSON.stringify(entry.before) : "",
        afterJson: entry.after ? JSON.stringify(entry.after) : "",
        reason: entry.reason,
      })),
      nextPageToken: nextIdToken(
        entries.map((e) => e.entryId),
        limit,
      ),
    };
  };
}
