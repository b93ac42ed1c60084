import { bulkhead, TimeoutStrategy, timeout, wrap } from "cockatiel";
import type { Clock } from "../booking/clock.js";
import type { Logger } from "../logger.js";
import { createCalendarAuthCache } from "./calendar-auth.js";
import type { LinkForSync } from "./calendar-link.js";
import { type CalendarRetryOptions, createCalendarRetry } from "./calendar-retry.js";
import type { CalendarLinkStore } from "./calendar-store.js";
import { defaultFailureBackoff } from "./failure-plan.js";
import { createGoogleEventsSource, type EventsSource } from "./google-events-source.js";
import { type CalendarSyncSettings, type LinkSyncReport, syncCalendarLink } from "./sync-calendar-link.js";

/** Options of the syncer; everything but the store, logger and clock has a default. */
export interface CalendarSyncerOptions {
  store: CalendarLinkStore;
  logger: Logger;
  clock: Clock;
  /** The Calendar API root; Google's by default. */
  rootUrl?: string;
  /** Links synced at once. */
  concurrency?: number;
  /** Whole-sync limit per link, retries and pages included; one slow calendar cannot hold a worker longer. */
  linkTimeoutMs?: number;
  requestTimeoutMs?: number;
  maxResults?: number;
  maxPages?: number;
  retry?: Partial<CalendarRetryOptions>;
  settings?: Partial<CalendarSyncSettings>;
  /** Replaces the Google client (tests of the scheduling use this). */
  source?: EventsSource;
}

/** Syncs links, each on its own, a bounded number at a time. */
export interface CalendarSyncer {
  /** Claims the links whose next attempt is due (no other replica syncs them meanwhile) and syncs them. */
  syncDue(signal?: AbortSignal): Promise<LinkSyncReport[]>;
  /** Syncs the given links now, whatever their schedule or state. */
  syncLinks(links: readonly LinkForSync[], signal?: AbortSignal): Promise<LinkSyncReport[]>;
}

/** Claim rounds of one pass at most; the next pass continues where a long one stopped. */
const maxClaimRounds = 100;

/** Every five minutes, a window from a day back to a year ahead, a full resync daily. */
export const defaultSyncSettings: CalendarSyncSettings = {
  windowPastSec: 86_400,
  windowFutureSec: 366 * 86_400,
  syncIntervalSec: 300,
  fullResyncEverySec: 86_400,
  backoff: defaultFailureBackoff,
};

/**
 * Creates the syncer: links run through a cockatiel bulkhead (bounded concurrency) and a cooperative
 * timeout each, so a failing or hanging calendar delays only itself.
 */
export function createCalendarSyncer(options: CalendarSyncerOptions): CalendarSyncer {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const deps = {
    store: options.store,
    clock: options.clock,
    logger: options.logger,
    source: options.source ?? createGoogleEventsSource({ rootUrl: options.rootUrl, requestTimeoutMs }),
    auth: createCalendarAuthCache({ requestTimeoutMs }),
    retry: createCalendarRetry(options.retry),
    random: options.retry?.random ?? Math.random,
    maxResults: options.maxResults ?? 250,
    maxPages: options.maxPages ?? 400,
    settings: { ...defaultSyncSettings, ...options.settings },
  };
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const linkTimeoutMs = options.linkTimeoutMs ?? 120_000;
  const policy = wrap(
    bulkhead(concurrency, Number.POSITIVE_INFINITY),
    timeout(linkTimeoutMs, TimeoutStrategy.Cooperative),
  );
  // A claim outlives the longest sync, so a link is never synced by two replicas at once; a replica
  // that dies holding a claim delays that link's next sync by at most this long.
  const claimLeaseSec = Math.ceil(linkTimeoutMs / 1000) + 60;
  const never = new AbortController().signal;

  const syncLinks = async (links: readonly LinkForSync[], signal: AbortSignal = never) => {
    const settled = await Promise.allSettled(
      links.map((link) =>
        policy.execute(({ signal: linkSignal }) => syncCalendarLink(link, deps, linkSignal, signal), signal),
      ),
    );
    return settled.flatMap((result, index): LinkSyncReport[] => {
      if (result.status === "fulfilled") return [result.value];
      // Only the store can throw here (a busy or broken database); the link keeps its schedule.
      // Only the message: a client error object carries request headers and bodies.
      const message = result.reason instanceof Error ? result.reason.message : String(result.reason);
      options.logger.error(
        { linkId: links[index]?.linkId, error: message },
        "calendar sync could not record its result",
      );
      return [];
    });
  };

  return {
    async syncDue(signal = never) {
      // Claims as many links as run at once, so no claim waits in the bulkhead past its lease.
      const reports: LinkSyncReport[] = [];
      for (let round = 0; round < maxClaimRounds && !signal.aborted; round++) {
        const links = await options.store.claimDueLinks(options.clock.nowSec(), claimLeaseSec, concurrency);
        if (links.length === 0) break;
        reports.push(...(await syncLinks(links, signal)));
        if (links.length < concurrency) break;
      }
      return reports;
    },
    syncLinks,
  };
}
