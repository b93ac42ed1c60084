import type { Clock } from "../booking/clock.js";
import type { Logger } from "../logger.js";
import { type CalendarFailure, classifyCalendarFailure } from "./calendar-failure.js";
import type { LinkForSync } from "./calendar-link.js";
import type { CalendarLinkStore, FailurePlan, SyncApplied, SyncedEvents } from "./calendar-store.js";
import { type FailureBackoffOptions, planAfterFailure } from "./failure-plan.js";
import { type FetchCalendarEventsDeps, fetchCalendarEvents } from "./fetch-calendar-events.js";

/** How often and how far links are synced. */
export interface CalendarSyncSettings {
  /** A full sync covers [now - windowPastSec, now + windowFutureSec). */
  windowPastSec: number;
  windowFutureSec: number;
  /** Delay between successful syncs of a link. */
  syncIntervalSec: number;
  /** A link syncs in full again after this long, so its window keeps moving forward. */
  fullResyncEverySec: number;
  backoff: FailureBackoffOptions;
}

/** What syncing one link needs. */
export interface SyncCalendarLinkDeps extends Omit<FetchCalendarEventsDeps, "logger"> {
  store: CalendarLinkStore;
  clock: Clock;
  logger: Logger;
  random: () => number;
  settings: CalendarSyncSettings;
}

/** How one link's sync ended. */
export type LinkSyncReport =
  | { linkId: number; outcome: "synced"; mode: SyncedEvents["mode"]; applied: SyncApplied }
  | { linkId: number; outcome: "failed"; failure: CalendarFailure; plan: FailurePlan }
  /** Stopped by shutdown, or the link was removed or replaced while syncing: nothing recorded. */
  | { linkId: number; outcome: "cancelled" | "removed" };

/**
 * Syncs one link: incremental from its sync token, or full when it has none or its last full sync is
 * old; a 410 drops the token and resyncs in full. Never throws for API failures: they are classified,
 * recorded on the link with the next attempt they imply, and reported.
 */
export async function syncCalendarLink(
  link: LinkForSync,
  deps: SyncCalendarLinkDeps,
  signal: AbortSignal,
  shutdown?: AbortSignal,
): Promise<LinkSyncReport> {
  const { store, clock, settings } = deps;
  const logger = deps.logger.child({ linkId: link.linkId, merchantId: link.merchantId });
  const startSec = clock.nowSec();
  const window = { startSec: startSec - settings.windowPastSec, endSec: startSec + settings.windowFutureSec };
  const fullDue =
    link.state.fullSyncSec === undefined || startSec - link.state.fullSyncSec >= settings.fullResyncEverySec;
  let mode: SyncedEvents["mode"] = link.state.syncToken && !fullDue ? "incremental" : "full";
  const fetchDeps = { ...deps, logger };
  const removed = (): LinkSyncReport => {
    logger.info("calendar link removed or replaced during its sync; result dropped");
    return { linkId: link.linkId, outcome: "removed" };
  };
  try {
    let events: SyncedEvents;
    try {
      events = await fetchCalendarEvents(link, mode, window, fetchDeps, signal);
    } catch (error) {
      const failure = classifyCalendarFailure(error);
      if (mode !== "incremental" || failure.kind !== "syncTokenExpired") throw error;
      logger.info({ reason: failure.reason }, "calendar sync token expired; resyncing in full");
      if (!(await store.dropSyncToken(link))) return removed();
      mode = "full";
      const withoutToken: LinkForSync = { ...link, state: { ...link.state, syncToken: undefined } };
      events = await fetchCalendarEvents(withoutToken, mode, window, fetchDeps, signal);
    }
    const nowSec = clock.nowSec();
    const applied = await store.applySync(link, events, nowSec, nowSec + settings.syncIntervalSec);
    if (!applied) return removed();
    logger.info(
      { mode, upserted: applied.upserted, removed: applied.removed, busyIntervals: applied.busyIntervals },
      "calendar synced",
    );
    for (const conflict of applied.newConflicts) {
      logger.warn(
        { bookingId: conflict.bookingId, busyStartSec: conflict.busyStartSec, busyEndSec: conflict.busyEndSec },
        "calendar busy time overlaps an existing booking",
      );
    }
    return { linkId: link.linkId, outcome: "synced", mode, applied };
  } catch (error) {
    if (shutdown?.aborted) return { linkId: link.linkId, outcome: "cancelled" };
    // Whatever the aborted request threw, the cause is the link's time limit.
    const failure: CalendarFailure = signal.aborted
      ? { kind: "timeout", reason: "timeout", message: "the sync took longer than its time limit" }
      : classifyCalendarFailure(error);
    const nowSec = clock.nowSec();
    const plan = planAfterFailure(failure, link.state.consecutiveFailures, nowSec, settings.backoff, deps.random);
    if (!(await store.recordFailure(link, plan, nowSec))) return removed();
    logger.warn(
      { kind: failure.kind, reason: failure.reason, status: failure.status, nextAttemptSec: plan.nextAttemptSec },
      `calendar sync failed: ${failure.message}`,
    );
    return { linkId: link.linkId, outcome: "failed", failure, plan };
  }
}
