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
  /** Syncs the links whose next attempt is due. */
  syncDue(signal?: AbortSignal): Promise<LinkSyncReport[]>;
  /** Syncs the given links now, whatever their schedule or state. */
  syncLinks(links: readonly LinkForSync[], signal?: AbortSignal): Promise<LinkSyncReport[]>;
}

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
  const policy = wrap(
    bulkhead(concurrency, Number.POSITIVE_INFINITY),
    timeout(options.linkTimeoutMs ?? 120_000, TimeoutStrategy.Cooperative),
  );
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
    syncDue(signal) {
      return syncLinks(options.store.dueLinks(options.clock.nowSec()), signal);
    },
    syncLinks,
  };
}
