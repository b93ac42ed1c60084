import { randomBytes } from "node:crypto";
import type { CalendarLinkStatus, LinkIdentity, NewCalendarLink } from "../../calendar/calendar-link.js";
import type {
  BusyConflict,
  CalendarStore,
  FailurePlan,
  ManualBlock,
  SyncApplied,
  SyncedEvents,
} from "../../calendar/calendar-store.js";
import { type BusyIntervalRow, calendarSourceRef, linkRefRange } from "../rows/busy-interval-row.js";
import { createBusyIntervalConflictTable } from "./busy-interval-conflict-table.js";
import { createBusyIntervalTable } from "./busy-interval-table.js";
import { createCalendarLinkTable } from "./calendar-link-table.js";
import { type ConnectionGate, gatedCalls } from "./connection-gate.js";
import type { SqliteDatabase } from "./open-database.js";

/**
 * The SQLite CalendarStore: calendar links and their state, the busy intervals they and manual blocks
 * write (read by the availability rule), and conflicts with bookings. Each write is one IMMEDIATE
 * transaction, so availability sees a sync's result all at once.
 */
export function createCalendarSqliteStore(db: SqliteDatabase, gate: ConnectionGate): CalendarStore {
  const links = createCalendarLinkTable(db);
  const intervals = createBusyIntervalTable(db);
  const conflicts = createBusyIntervalConflictTable(db);
  const guarded = gatedCalls(gate);
  const write = <A extends unknown[], R>(fn: (...args: A) => R) => {
    const transaction = db.transaction(fn);
    return guarded((...args: A): R => transaction.immediate(...args));
  };

  const applySync = write(
    (owner: LinkIdentity, events: SyncedEvents, nowSec: number, nextAttemptSec: number): SyncApplied | undefined => {
      // Checked inside the write transaction: the link cannot be removed or replaced before commit.
      const link = links.isStill(owner) ? links.get(owner.linkId) : undefined;
      if (!link) return undefined;
      const linkId = link.linkId;
      const existing = intervals.linkRanges(linkId);
      const applied: SyncApplied = { upserted: 0, removed: 0, busyIntervals: 0, newConflicts: [] };
      const removeRef = (ref: string) => {
        existing.delete(ref);
        if (intervals.remove("calendar", ref)) applied.removed += 1;
        conflicts.clear("calendar", ref, nowSec);
      };
      if (events.mode === "full") {
        const listed = new Set(
          events.changes.filter((change) => change.range).map((c) => calendarSourceRef(linkId, c.eventId)),
        );
        for (const ref of existing.keys()) if (!listed.has(ref)) removeRef(ref);
      }
      for (const change of events.changes) {
        const ref = calendarSourceRef(linkId, change.eventId);
        const before = existing.get(ref);
        if (!change.range) {
          if (before) removeRef(ref);
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
        intervals.upsert(row);
        existing.set(ref, change.range);
        applied.upserted += 1;
        applied.newConflicts.push(...conflicts.reconcile(row, nowSec));
      }
      links.recordSuccess(linkId, {
        syncToken: events.nextSyncToken,
        timeZone: events.timeZone,
        fullSync: events.mode === "full",
        nowSec,
        nextAttemptSec,
      });
      applied.busyIntervals = intervals.countLinkRows(linkId);
      return applied;
    },
  );

  return {
    saveLink: write((link: NewCalendarLink, nowSec: number) => {
      const { linkId, created } = links.save(link, nowSec);
      const saved = links.get(linkId);
      if (!saved) throw new Error(`calendar link ${linkId} vanished while saving`);
      const { credentials: _credentials, state: _state, ...view } = saved;
      return { link: view, created };
    }),
    removeLink: write((linkId: number) => {
      intervals.removeLinkRows(linkId);
      conflicts.removeInRange(linkRefRange(linkId));
      return links.remove(linkId);
    }),
    linkForSync: guarded((linkId: number) => links.get(linkId)),
    claimDueLinks: write((nowSec: number, leaseSec: number, limit: number) =>
      links.claimDue(nowSec, nowSec + leaseSec, limit),
    ),
    allLinksForSync: guarded(() => links.all()),
    linkStatuses: guarded((): CalendarLinkStatus[] =>
      links.all().map(({ credentials: _credentials, state, ...link }) => {
        const { syncToken: _token, ...visible } = state;
        return {
          ...link,
          state: visible,
          busyIntervals: intervals.countLinkRows(link.linkId),
          openConflicts: conflicts.countOpenInRange(linkRefRange(link.linkId)),
        };
      }),
    ),
    dropSyncToken: write((owner: LinkIdentity) => {
      if (!links.isStill(owner)) return false;
      links.dropSyncToken(owner.linkId);
      return true;
    }),
    applySync,
    recordFailure: write((owner: LinkIdentity, plan: FailurePlan, nowSec: number) => {
      if (!links.isStill(owner)) return false;
      links.recordFailure(owner.linkId, plan, nowSec);
      return true;
    }),
    conflicts: guarded((filter?: { merchantId?: string; includeCleared?: boolean }): BusyConflict[] =>
      conflicts.list(filter),
    ),
    addBlock: write((block: Omit<ManualBlock, "blockId">, nowSec: number) => {
      const blockId = `blk_${randomBytes(6).toString("hex")}`;
      const row: BusyIntervalRow = { ...block, source: "block", sourceRef: blockId };
      intervals.upsert(row);
      return { block: { ...block, blockId }, conflicts: conflicts.reconcile(row, nowSec) };
    }),
    listBlocks: guarded((filter?: { merchantId?: string }) => intervals.listBlocks(filter?.merchantId)),
    removeBlock: write((blockId: string, nowSec: number) => {
      conflicts.clear("block", blockId, nowSec);
      return intervals.remove("block", blockId);
    }),
  };
}
