import type { ResourceKind } from "../../booking/inventory.js";
import { parseCalendarCredentials } from "../../calendar/calendar-credentials.js";
import type { CalendarLink, CalendarSyncState, LinkForSync } from "../../calendar/calendar-link.js";

/** A calendar_link row. */
export interface LinkRow {
  link_id: number;
  merchant_id: string;
  resource_kind: ResourceKind;
  resource_id: string;
  calendar_id: string;
  credentials_kind: CalendarLink["credentialsKind"];
  credentials_json: string;
  created_sec: number;
  time_zone: string;
  sync_token: string | null;
  full_sync_sec: number | null;
  last_attempt_sec: number | null;
  last_success_sec: number | null;
  last_error_reason: string | null;
  last_error_message: string | null;
  last_error_sec: number | null;
  next_attempt_sec: number | null;
  consecutive_failures: number;
  needs_reauth: number;
  gone: number;
}

/** The sync state a link row records. */
function stateFromRow(row: LinkRow): CalendarSyncState {
  return {
    timeZone: row.time_zone,
    nextAttemptSec: row.next_attempt_sec,
    consecutiveFailures: row.consecutive_failures,
    needsReauth: row.needs_reauth === 1,
    gone: row.gone === 1,
    ...(row.sync_token !== null ? { syncToken: row.sync_token } : {}),
    ...(row.full_sync_sec !== null ? { fullSyncSec: row.full_sync_sec } : {}),
    ...(row.last_attempt_sec !== null ? { lastAttemptSec: row.last_attempt_sec } : {}),
    ...(row.last_success_sec !== null ? { lastSuccessSec: row.last_success_sec } : {}),
    ...(row.last_error_reason !== null && row.last_error_sec !== null
      ? {
          lastError: {
            reason: row.last_error_reason,
            message: row.last_error_message ?? "",
            atSec: row.last_error_sec,
          },
        }
      : {}),
  };
}

/** The link of a row, with its credentials and sync state. */
export function linkFromRow(row: LinkRow): LinkForSync {
  return {
    linkId: row.link_id,
    merchantId: row.merchant_id,
    resourceKind: row.resource_kind,
    resourceId: row.resource_id,
    calendarId: row.calendar_id,
    credentialsKind: row.credentials_kind,
    createdSec: row.created_sec,
    credentials: parseCalendarCredentials(row.credentials_json),
    state: stateFromRow(row),
  };
}

/** What a successful sync records on its link. */
export interface LinkSuccess {
  syncToken: string;
  timeZone: string;
  fullSync: boolean;
  nowSec: number;
  nextAttemptSec: number;
}
