import { serializeCalendarCredentials } from "../../calendar/calendar-credentials.js";
import type { LinkForSync, LinkIdentity, NewCalendarLink } from "../../calendar/calendar-link.js";
import type { FailurePlan } from "../../calendar/calendar-store.js";
import { type LinkRow, type LinkSuccess, linkFromRow } from "../rows/calendar-link-row.js";
import type { Sql } from "./postgres-pool.js";

/** calendar_link inside the caller's transaction. */
export function calendarLinkTable(sql: Sql) {
  return {
    async get(linkId: number): Promise<LinkForSync | undefined> {
      const row = await sql.row<LinkRow>("SELECT * FROM calendar_link WHERE link_id = $1", [linkId]);
      return row ? linkFromRow(row) : undefined;
    },
    /** Inserts the link, or replaces the credentials of the same calendar on the same resource. */
    async save(link: NewCalendarLink, nowSec: number): Promise<{ linkId: number; created: boolean }> {
      const json = serializeCalendarCredentials(link.credentials);
      // Re-linking is how a merchant re-authorises: new credentials, a clean state, a sync right away.
      const relinked = await sql.row<{ link_id: number }>(
        `UPDATE calendar_link SET credentials_kind = $5, credentials_json = $6, next_attempt_sec = $7,
           needs_reauth = 0, gone = 0, consecutive_failures = 0, last_error_reason = NULL,
           last_error_message = NULL, last_error_sec = NULL
         WHERE merchant_id = $1 AND resource_kind = $2 AND resource_id = $3 AND calendar_id = $4
         RETURNING link_id`,
        [link.merchantId, link.resourceKind, link.resourceId, link.calendarId, link.credentials.kind, json, nowSec],
      );
      if (relinked) return { linkId: relinked.link_id, created: false };
      const inserted = await sql.row<{ link_id: number }>(
        `INSERT INTO calendar_link (merchant_id, resource_kind, resource_id, calendar_id, credentials_kind,
           credentials_json, created_sec, next_attempt_sec)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING link_id`,
        [link.merchantId, link.resourceKind, link.resourceId, link.calendarId, link.credentials.kind, json, nowSec],
      );
      if (!inserted) throw new Error("calendar link insert returned no id");
      return { linkId: inserted.link_id, created: true };
    },
    /** Whether the stored link is still the one `link` describes; locks it until commit when it is. */
    async isStill(link: LinkIdentity): Promise<boolean> {
      const row = await sql.row(
        `SELECT 1 FROM calendar_link WHERE link_id = $1 AND merchant_id = $2 AND resource_kind = $3
           AND resource_id = $4 AND calendar_id = $5 AND created_sec = $6 FOR UPDATE`,
        [link.linkId, link.merchantId, link.resourceKind, link.resourceId, link.calendarId, link.createdSec],
      );
      return row !== undefined;
    },
    async remove(linkId: number): Promise<boolean> {
      return (await sql.run("DELETE FROM calendar_link WHERE link_id = $1", [linkId])) > 0;
    },
    /**
     * Up to `limit` due links, oldest due first, each postponed to `untilSec`. SKIP LOCKED: a link another
     * replica is claiming right now is left to it rather than waited for. The links come back as they were
     * before the postponement.
     */
    async claimDue(nowSec: number, untilSec: number, limit: number): Promise<LinkForSync[]> {
      const rows = await sql.rows<LinkRow & { due_sec: number }>(
        `WITH due AS (
           SELECT link_id, next_attempt_sec AS due_sec FROM calendar_link
            WHERE next_attempt_sec IS NOT NULL AND next_attempt_sec <= $1 AND needs_reauth = 0 AND gone = 0
            ORDER BY next_attempt_sec, link_id LIMIT $3 FOR UPDATE SKIP LOCKED)
         UPDATE calendar_link c SET next_attempt_sec = $2 FROM due WHERE c.link_id = due.link_id
         RETURNING c.*, due.due_sec`,
        [nowSec, untilSec, limit],
      );
      return rows
        .map((row) => ({ ...row, next_attempt_sec: row.due_sec }))
        .sort((a, b) => a.due_sec - b.due_sec || a.link_id - b.link_id)
        .map(linkFromRow);
    },
    async all(): Promise<LinkForSync[]> {
      return (await sql.rows<LinkRow>("SELECT * FROM calendar_link ORDER BY link_id")).map(linkFromRow);
    },
    async dropSyncToken(linkId: number): Promise<void> {
      await sql.run("UPDATE calendar_link SET sync_token = NULL WHERE link_id = $1", [linkId]);
    },
    async recordSuccess(linkId: number, outcome: LinkSuccess): Promise<void> {
      await sql.run(
        `UPDATE calendar_link SET sync_token = $2, time_zone = $3,
           full_sync_sec = CASE WHEN $4 THEN $5 ELSE full_sync_sec END,
           last_attempt_sec = $5, last_success_sec = $5, last_error_reason = NULL,
           last_error_message = NULL, last_error_sec = NULL, next_attempt_sec = $6,
           consecutive_failures = 0, needs_reauth = 0, gone = 0
         WHERE link_id = $1`,
        [linkId, outcome.syncToken, outcome.timeZone, outcome.fullSync, outcome.nowSec, outcome.nextAttemptSec],
      );
    },
    async recordFailure(linkId: number, plan: FailurePlan, nowSec: number): Promise<void> {
      await sql.run(
        `UPDATE calendar_link SET last_attempt_sec = $2, last_error_reason = $3,
           last_error_message = $4, last_error_sec = $2, next_attempt_sec = $5,
           consecutive_failures = consecutive_failures + 1, needs_reauth = $6, gone = $7
         WHERE link_id = $1`,
        [linkId, nowSec, plan.reason, plan.message, plan.nextAttemptSec, plan.needsReauth ? 1 : 0, plan.gone ? 1 : 0],
      );
    },
  };
}
