import { randomBytes } from "node:crypto";
import type { CalendarLinkStatus, LinkIdentity } from "../../calendar/calendar-link.js";
import type { CalendarStore, SyncApplied, SyncedEvents } from "../../calendar/calendar-store.js";
import { type BusyIntervalRow, calendarSourceRef, linkRefRange } from "../rows/busy-interval-row.js";
import { busyConflictTable } from "./busy-conflict-queries.js";
import { busyIntervalTable } from "./busy-interval-queries.js";
import { calendarLinkTable } from "./calendar-link-queries.js";
import type { PostgresPool, Sql } from "./postgres-pool.js";

/**
 * The PostgreSQL CalendarStore: each write is one transaction, so availability sees a sync's result all
 * at once. A sync's writes first lock its link row (`isStill ... FOR UPDATE`), so a removal or re-link on
 * another replica waits for them or makes them write nothing; due links are claimed with SKIP LOCKED.
 */
export function createCalendarPostgresStore(pool: PostgresPool): CalendarStore {
  const tables = (sql: Sql) => ({
    links: calendarLinkTable(sql),
    intervals: busyIntervalTable(sql),
    conflicts: busyConflictTable(sql),
  });
  const write = <T>(fn: (t: ReturnType<typeof tables>) => Promise<T>, retryIf?: (error: unknown) => boolean) =>
    pool.transaction((sql) => fn(tables(sql)), retryIf ? { retryIf } : {});
  const read = <T>(fn: (t: ReturnType<typeof tables>) => Promise<T>) =>
    pool.transaction((sql) => fn(tables(sql)), { readOnly: true });

  const applySync = (owner: LinkIdentity, events: SyncedEvents, nowSec: number, nextAttemptSec: number) =>
    write(async ({ links, intervals, conflicts }): Promise<SyncApplied | undefined> => {
      const link = (await links.isStill(owner)) ? await links.get(owner.linkId) : undefined;
      if (!link) return undefined;
      const linkId = link.linkId;
      const existing = await intervals.linkRanges(linkId);
      const applied: SyncApplied = { upserted: 0, removed: 0, busyIntervals: 0, newConflicts: [] };
      const removeRef = async (ref: string) => {
        existing.delete(ref);
        if (await intervals.remove("calendar", ref)) applied.removed += 1;
        await conflicts.clear("calendar", ref, nowSec);
      };
      if (events.mode === "full") {
        const listed = new Set(
          events.changes.filter((change) => change.range).map((c) => calendarSourceRef(linkId, c.eventId)),
        );
        for (const ref of [...existing.keys()]) if (!listed.has(ref)) await removeRef(ref);
      }
      for (const change of events.changes) {
        const ref = calendarSourceRef(linkId, change.eventId);
        const before = existing.get(ref);
        if (!change.range) {
          if (before) await removeRef(ref);
          continue;
        }
        if (before && before.startSec === change.range.startSec && before.endSec === change.range.endSec) continue;
        const row: BusyIntervalRow = {
          merchantId: link.merchantId,
          resourceKind: link.resourceKind,
          resourceId: link.resourceId,
          ...change.range,
          source: "calendar",
          sourceRef: ref,
          note: "",
        };
        await intervals.upsert(row);
        existing.set(ref, change.range);
        applied.upserted += 1;
        applied.newConflicts.push(...(await conflicts.reconcile(row, nowSec)));
      }
      await links.recordSuccess(linkId, {
        syncToken: events.nextSyncToken,
        timeZone: events.timeZone,
        fullSync: events.mode === "full",
        nowSec,
        nextAttemptSec,
      });
      applied.busyIntervals = await intervals.countLinkRows(linkId);
      return applied;
    });

  return {
    saveLink: (link, nowSec) =>
      // Two replicas linking the same calendar at once: the loser's insert meets the unique key, and its
      // second run re-links the winner's row instead.
      write(async ({ links }) => {
        const { linkId, created } = await links.save(link, nowSec);
        const saved = await links.get(linkId);
        if (!saved) throw new Error(`calendar link ${linkId} vanished while saving`);
        const { credentials: _credentials, state: _state, ...view } = saved;
        return { link: view, created };
      }, isDuplicateLink),
    removeLink: (linkId) =>
      write(async ({ links, intervals, conflicts }) => {
        await intervals.removeLinkRows(linkId);
        await conflicts.removeInRange(linkRefRange(linkId));
        return links.remove(linkId);
      }),
    linkForSync: (linkId) => read(({ links }) => links.get(linkId)),
    claimDueLinks: (nowSec, leaseSec, limit) => write(({ links }) => links.claimDue(nowSec, nowSec + leaseSec, limit)),
    allLinksForSync: () => read(({ links }) => links.all()),
    linkStatuses: () =>
      read(async ({ links, intervals, conflicts }) => {
        const statuses: CalendarLinkStatus[] = [];
        for (const { credentials: _credentials, state, ...link } of await links.all()) {
          const { syncToken: _token, ...visible } = state;
          statuses.push({
            ...link,
            state: visible,
            busyIntervals: await intervals.countLinkRows(link.linkId),
            openConflicts: await conflicts.countOpenInRange(linkRefRange(link.linkId)),
          });
        }
        return statuses;
      }),
    dropSyncToken: (owner) =>
      write(async ({ links }) => {
        if (!(await links.isStill(owner))) return false;
        await links.dropSyncToken(owner.linkId);
        return true;
      }),
    applySync,
    recordFailure: (owner, plan, nowSec) =>
      write(async ({ links }) => {
        if (!(await links.isStill(owner))) return false;
        await links.recordFailure(owner.linkId, plan, nowSec);
        return true;
      }),
    conflicts: (filter) => read(({ conflicts }) => conflicts.list(filter)),
    addBlock: (block, nowSec) =>
      write(async ({ intervals, conflicts }) => {
        const blockId = `blk_${randomBytes(6).toString("hex")}`;
        const row: BusyIntervalRow = { ...block, source: "block", sourceRef: blockId };
        await intervals.upsert(row);
        return { block: { ...block, blockId }, conflicts: await conflicts.reconcile(row, nowSec) };
      }),
    listBlocks: (filter) => read(({ intervals }) => intervals.listBlocks(filter?.merchantId)),
    removeBlock: (blockId, nowSec) =>
      write(async ({ intervals, conflicts }) => {
        await conflicts.clear("block", blockId, nowSec);
        return intervals.remove("block", blockId);
      }),
  };
}

function isDuplicateLink(error: unknown): boolean {
  const { code, table } = (error ?? {}) as { code?: unknown; table?: unknown };
  return code === "23505" && table === "calendar_link";
}
