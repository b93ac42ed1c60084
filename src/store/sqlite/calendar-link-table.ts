import { serializeCalendarCredentials } from "../../calendar/calendar-credentials.js";
import type { LinkForSync, LinkIdentity, NewCalendarLink } from "../../calendar/calendar-link.js";
import type { FailurePlan } from "../../calendar/calendar-store.js";
import { type LinkRow, type LinkSuccess, linkFromRow } from "../rows/calendar-link-row.js";
import type { SqliteDatabase } from "./open-database.js";

/** Prepared statements over calendar_link, prepared once per connection. */
export function createCalendarLinkTable(db: SqliteDatabase) {
  const byId = db.prepare<[number], LinkRow>("SELECT * FROM calendar_link WHERE link_id = ?");
  const byResource = db.prepare<[string, string, string, string], LinkRow>(
    `SELECT * FROM calendar_link WHERE merchant_id = ? AND resource_kind = ? AND resource_id = ? AND calendar_id = ?`,
  );
  const insert = db.prepare(
    `INSERT INTO calendar_link (merchant_id, resource_kind, resource_id, calendar_id, credentials_kind,
       credentials_json, created_sec, next_attempt_sec)
     VALUES (@merchantId, @resourceKind, @resourceId, @calendarId, @kind, @json, @nowSec, @nowSec)`,
  );
  // Re-linking is how a merchant re-authorises: new credentials, a clean state, a sync right away.
  const relink = db.prepare(
    `UPDATE calendar_link SET credentials_kind = @kind, credentials_json = @json, next_attempt_sec = @nowSec,
       needs_reauth = 0, gone = 0, consecutive_failures = 0, last_error_reason = NULL,
       last_error_message = NULL, last_error_sec = NULL
     WHERE link_id = @linkId`,
  );
  const remove = db.prepare<[number]>("DELETE FROM calendar_link WHERE link_id = ?");
  const matches = db
    .prepare<[LinkIdentity], number>(
      `SELECT 1 FROM calendar_link WHERE link_id = @linkId AND merchant_id = @merchantId
         AND resource_kind = @resourceKind AND resource_id = @resourceId AND calendar_id = @calendarId
         AND created_sec = @createdSec`,
    )
    .pluck();
  const due = db.prepare<[number, number], LinkRow>(
    `SELECT * FROM calendar_link WHERE next_attempt_sec IS NOT NULL AND next_attempt_sec <= ?
       AND needs_reauth = 0 AND gone = 0 ORDER BY next_attempt_sec, link_id LIMIT ?`,
  );
  const postpone = db.prepare<[number, number]>("UPDATE calendar_link SET next_attempt_sec = ? WHERE link_id = ?");
  const all = db.prepare<[], LinkRow>("SELECT * FROM calendar_link ORDER BY link_id");
  const dropToken = db.prepare<[number]>("UPDATE calendar_link SET sync_token = NULL WHERE link_id = ?");
  const success = db.prepare(
    `UPDATE calendar_link SET sync_token = @syncToken, time_zone = @timeZone,
       full_sync_sec = CASE WHEN @fullSync = 1 THEN @nowSec ELSE full_sync_sec END,
       last_attempt_sec = @nowSec, last_success_sec = @nowSec, last_error_reason = NULL,
       last_error_message = NULL, last_error_sec = NULL, next_attempt_sec = @nextAttemptSec,
       consecutive_failures = 0, needs_reauth = 0, gone = 0
     WHERE link_id = @linkId`,
  );
  const failure = db.prepare(
    `UPDATE calendar_link SET last_attempt_sec = @nowSec, last_error_reason = @reason,
       last_error_message = @message, last_error_sec = @nowSec, next_attempt_sec = @nextAttemptSec,
       consecutive_failures = consecutive_failures + 1, needs_reauth = @needsReauth, gone = @gone
     WHERE link_id = @linkId`,
  );

  return {
    get(linkId: number): LinkForSync | undefined {
      const row = byId.get(linkId);
      return row ? linkFromRow(row) : undefined;
    },
    /** Inserts the link, or replaces the credentials of the same calendar on the same resource. */
    save(link: NewCalendarLink, nowSec: number): { linkId: number; created: boolean } {
      const params = {
        merchantId: link.merchantId,
        resourceKind: link.resourceKind,
        resourceId: link.resourceId,
        calendarId: link.calendarId,
        kind: link.credentials.kind,
        json: serializeCalendarCredentials(link.credentials),
        nowSec,
      };
      const existing = byResource.get(link.merchantId, link.resourceKind, link.resourceId, link.calendarId);
      if (existing) {
        relink.run({ ...params, linkId: existing.link_id });
        return { linkId: existing.link_id, created: false };
      }
      return { linkId: Number(insert.run(params).lastInsertRowid), created: true };
    },
    /** Whether the stored link is still the one `link` describes (not removed, not replaced). */
    isStill(link: LinkIdentity): boolean {
      const { linkId, merchantId, resourceKind, resourceId, calendarId, createdSec } = link;
      return matches.get({ linkId, merchantId, resourceKind, resourceId, calendarId, createdSec }) !== undefined;
    },
    remove(linkId: number): boolean {
      return remove.run(linkId).changes > 0;
    },
    /** Up to `limit` due links, oldest due first, each postponed to `untilSec`; run inside a write. */
    claimDue(nowSec: number, untilSec: number, limit: number): LinkForSync[] {
      const rows = due.all(nowSec, limit);
      for (const row of rows) postpone.run(untilSec, row.link_id);
      return rows.map(linkFromRow);
    },
    all(): LinkForSync[] {
      return all.all().map(linkFromRow);
    },
    dropSyncToken(linkId: number): void {
      dropToken.run(linkId);
    },
    recordSuccess(linkId: number, outcome: LinkSuccess): void {
      success.run({ ...outcome, linkId, fullSync: outcome.fullSync ? 1 : 0 });
    },
    recordFailure(linkId: number, plan: FailurePlan, nowSec: number): void {
      failure.run({
        linkId,
        nowSec,
        reason: plan.reason,
        message: plan.message,
        nextAttemptSec: plan.nextAttemptSec,
        needsReauth: plan.needsReauth ? 1 : 0,
        gone: plan.gone ? 1 : 0,
      });
    },
  };
}
