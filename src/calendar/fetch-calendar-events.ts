import { isKnownTimeZone } from "../booking/wall-clock.js";
import type { Logger } from "../logger.js";
import { busyRangeOf, type CalendarEvent } from "./busy-rules.js";
import type { CalendarAuthCache } from "./calendar-auth.js";
import { classifyCalendarFailure } from "./calendar-failure.js";
import type { LinkForSync } from "./calendar-link.js";
import type { CalendarRetry } from "./calendar-retry.js";
import type { BusyChange, SyncedEvents } from "./calendar-store.js";
import type { EventsPageRequest, EventsSource } from "./google-events-source.js";

/** What listing a calendar needs. */
export interface FetchCalendarEventsDeps {
  source: EventsSource;
  auth: CalendarAuthCache;
  retry: CalendarRetry;
  logger: Logger;
  maxResults: number;
  /** Guards against a server that never stops paging. */
  maxPages: number;
}

/** The time window of a full sync. */
export interface SyncWindow {
  startSec: number;
  endSec: number;
}

const rfc3339 = (sec: number): string => new Date(sec * 1000).toISOString();

/**
 * Lists a calendar in full (the window) or incrementally (from the link's sync token), following page
 * tokens to the page that carries nextSyncToken. A 401 renews the access token once and repeats the page.
 */
export async function fetchCalendarEvents(
  link: LinkForSync,
  mode: SyncedEvents["mode"],
  window: SyncWindow,
  deps: FetchCalendarEventsDeps,
  signal: AbortSignal,
): Promise<SyncedEvents> {
  const syncToken = link.state.syncToken;
  if (mode === "incremental" && !syncToken) throw new Error("incremental sync without a sync token");
  const query =
    mode === "incremental" && syncToken
      ? { syncToken }
      : { timeMin: rfc3339(window.startSec), timeMax: rfc3339(window.endSec) };
  let client = deps.auth.clientFor(link.linkId, link.credentials);
  let renewed = false;
  const listPage = async (request: EventsPageRequest) => {
    try {
      return await deps.retry.execute((attempt) => deps.source.listPage(client, request, attempt), signal);
    } catch (error) {
      if (renewed || classifyCalendarFailure(error).kind !== "unauthorized") throw error;
      renewed = true;
      deps.logger.info({ linkId: link.linkId }, "calendar refused the access token; refreshing it once");
      client = deps.auth.renew(link.linkId, link.credentials);
      return deps.retry.execute((attempt) => deps.source.listPage(client, request, attempt), signal);
    }
  };

  const events = new Map<string, CalendarEvent>();
  let timeZone = link.state.timeZone;
  let pageToken: string | undefined;
  for (let pages = 1; ; pages += 1) {
    const page = await listPage({
      calendarId: link.calendarId,
      maxResults: deps.maxResults,
      ...query,
      ...(pageToken ? { pageToken } : {}),
    });
    if (page.timeZone) timeZone = page.timeZone;
    // A later page may carry a newer version of the same event; the last one seen wins.
    for (const event of page.items) if (event.id) events.set(event.id, event);
    if (page.nextPageToken) {
      if (pages >= deps.maxPages) throw new Error(`calendar listing exceeded ${deps.maxPages} pages`);
      pageToken = page.nextPageToken;
      continue;
    }
    if (!page.nextSyncToken) throw new Error("the last page of the listing carried no nextSyncToken");
    // An all-day event still blocks when the zone is unusable: a UTC day is closer than no day at all.
    const zone = timeZone && isKnownTimeZone(timeZone) ? timeZone : "UTC";
    if (zone !== timeZone) deps.logger.warn({ linkId: link.linkId, timeZone }, "calendar time zone unknown; using UTC");
    const changes: BusyChange[] = [...events].map(([eventId, event]) => ({ eventId, range: busyRangeOf(event, zone) }));
    return { mode, changes, nextSyncToken: page.nextSyncToken, timeZone: zone };
  }
}
