import { calendar } from "@googleapis/calendar";
import type { CalendarEvent } from "./busy-rules.js";
import type { CalendarAuthClient } from "./calendar-auth.js";
import { parseCalendarRootUrl } from "./calendar-root-url.js";

/** One events.list request; a sync token excludes timeMin/timeMax (the API refuses the mix). */
export type EventsPageRequest = { calendarId: string; pageToken?: string; maxResults: number } & (
  | { syncToken: string }
  | { timeMin: string; timeMax: string }
);

/** One page of events.list. */
export interface EventsPage {
  items: CalendarEvent[];
  nextPageToken?: string;
  /** Only on the last page. */
  nextSyncToken?: string;
  timeZone?: string;
}

/** Lists calendar events one page at a time. */
export interface EventsSource {
  listPage(auth: CalendarAuthClient, request: EventsPageRequest, signal: AbortSignal): Promise<EventsPage>;
}

/** Options of the Google events source. */
export interface GoogleEventsSourceOptions {
  /**
   * The API's root, `https://www.googleapis.com/` by default; a path in it is kept (a proxy's prefix).
   * Tests point it at a local fake. Throws CalendarRootUrlError when it is not an http(s) URL.
   */
  rootUrl?: string;
  requestTimeoutMs: number;
}

/**
 * The events source on `@googleapis/calendar`: recurring events expanded into instances
 * (`singleEvents`), and the client's own retries off, since retries belong to the cockatiel policy.
 */
export function createGoogleEventsSource(options: GoogleEventsSourceOptions): EventsSource {
  // Given per request, not to calendar(): the client resolves its path against a global rootUrl,
  // which drops the root's own path, but appends it to a per-request one.
  const requestOptions = options.rootUrl ? { rootUrl: parseCalendarRootUrl(options.rootUrl) } : {};
  return {
    async listPage(auth, request, signal) {
      const api = calendar({
        version: "v3",
        auth,
        retry: false,
        timeout: options.requestTimeoutMs,
      });
      const { data } = await api.events.list({ ...request, singleEvents: true }, { ...requestOptions, signal });
      return {
        items: data.items ?? [],
        ...(data.nextPageToken ? { nextPageToken: data.nextPageToken } : {}),
        ...(data.nextSyncToken ? { nextSyncToken: data.nextSyncToken } : {}),
        ...(data.timeZone ? { timeZone: data.timeZone } : {}),
      };
    },
  };
}
