import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createFakeTokenEndpoint, type FakeTokenEndpoint } from "./fake-token-endpoint.js";
import { googleErrorBody, type InjectedError } from "./google-error-bodies.js";

/** An event as the Calendar API returns it (the fields the sync reads, and a few it does not). */
export interface FakeEvent {
  id: string;
  status?: "confirmed" | "tentative" | "cancelled";
  transparency?: "opaque" | "transparent";
  summary?: string;
  start: { date?: string; dateTime?: string; timeZone?: string };
  end: { date?: string; dateTime?: string; timeZone?: string };
  attendees?: { email: string; self?: boolean; responseStatus: string }[];
}

interface StoredEvent {
  event: FakeEvent;
  version: number;
  deleted: boolean;
}

interface FakeCalendar {
  timeZone: string;
  events: Map<string, StoredEvent>;
  /** Sync tokens older than this answer 410. */
  oldestValidToken: number;
  failures: InjectedError[];
}

/** One events.list call as the fake received it. */
export interface RecordedListCall {
  calendarId: string;
  /** The request path as received, prefix included. */
  path: string;
  params: Record<string, string>;
  status: number;
}

interface PageCursor {
  at: number;
  offset: number;
  since?: number;
}

const encode = (cursor: PageCursor) => Buffer.from(JSON.stringify(cursor)).toString("base64url");
const decode = (token: string) => JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as PageCursor;
const eventMs = (time: FakeEvent["start"]) => Date.parse(time.dateTime ?? `${time.date}T00:00:00Z`);

/** Options of the fake. */
export interface FakeGoogleCalendarOptions {
  /** Serves the Calendar API under this path (`/proxy/calendar`), as behind a reverse proxy; none by default. */
  pathPrefix?: string;
}

/**
 * A local Calendar API (`GET /calendar/v3/calendars/{id}/events`) and OAuth token endpoint (`POST /token`)
 * on 127.0.0.1: real JSON shapes, page and sync tokens with Google's semantics (deleted events come back
 * as `status: "cancelled"` in incremental listings), and injectable errors in Google's error format.
 */
export async function startFakeGoogleCalendar(options: FakeGoogleCalendarOptions = {}) {
  const prefix = (options.pathPrefix ?? "").replace(/\/+$/, "");
  const calendars = new Map<string, FakeCalendar>();
  const token: FakeTokenEndpoint = createFakeTokenEndpoint();
  const calls: RecordedListCall[] = [];
  const holds = new Set<NodeJS.Timeout>();
  let version = 0;

  const calendarOf = (id: string): FakeCalendar => {
    const calendar = calendars.get(id);
    if (!calendar) throw new Error(`fake has no calendar ${id}`);
    return calendar;
  };
  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): number => {
    res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers }).end(body);
    return status;
  };
  const sendError = (res: ServerResponse, injected: InjectedError) =>
    send(
      res,
      injected.status,
      googleErrorBody(injected),
      injected.retryAfter ? { "retry-after": injected.retryAfter } : {},
    );

  const listEvents = (
    calendarId: string,
    calendar: FakeCalendar,
    params: Record<string, string>,
    res: ServerResponse,
  ): number => {
    if (params.syncToken && (params.timeMin || params.timeMax)) {
      return send(
        res,
        400,
        googleErrorBody({
          status: 400,
          domain: "global",
          reason: "invalid",
          message: "Sync token cannot be used with timeMin or timeMax.",
          googleStatus: "INVALID_ARGUMENT",
        }),
      );
    }
    let cursor: PageCursor;
    if (params.pageToken) cursor = decode(params.pageToken);
    else if (params.syncToken) {
      const since = Number(params.syncToken.replace(/^sync-/, ""));
      if (!Number.isInteger(since) || since < calendar.oldestValidToken) {
        return sendError(res, {
          status: 410,
          domain: "calendar",
          reason: "fullSyncRequired",
          message: "Sync token is no longer valid, a full sync is required.",
          googleStatus: "GONE",
        });
      }
      cursor = { at: version, offset: 0, since };
    } else cursor = { at: version, offset: 0 };
    const [min, max] = [Date.parse(params.timeMin ?? ""), Date.parse(params.timeMax ?? "")];
    const matching = [...calendar.events.values()].filter((stored) => {
      if (stored.version > cursor.at) return false;
      if (cursor.since !== undefined) return stored.version > cursor.since;
      if (stored.deleted || stored.event.status === "cancelled") return false;
      return (
        (Number.isNaN(max) || eventMs(stored.event.start) < max) &&
        (Number.isNaN(min) || eventMs(stored.event.end) > min)
      );
    });
    const size = Math.min(2500, Number(params.maxResults ?? 250));
    const page = matching.slice(cursor.offset, cursor.offset + size);
    const more = cursor.offset + size < matching.length;
    return send(
      res,
      200,
      JSON.stringify({
        kind: "calendar#events",
        etag: `"${cursor.at}"`,
        summary: calendarId,
        updated: new Date(0).toISOString(),
        timeZone: calendar.timeZone,
        accessRole: "reader",
        defaultReminders: [],
        items: page.map(({ event, deleted }) =>
          deleted
            ? { kind: "calendar#event", id: event.id, status: "cancelled" }
            : { kind: "calendar#event", status: "confirmed", ...event },
        ),
        ...(more
          ? { nextPageToken: encode({ ...cursor, offset: cursor.offset + size }) }
          : { nextSyncToken: `sync-${cursor.at}` }),
      }),
    );
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "POST" && url.pathname === "/token") {
      let body = "";
      for await (const chunk of req) body += chunk;
      const answer = token.handle(new URLSearchParams(body));
      return send(res, answer.status, JSON.stringify(answer.body));
    }
    const path = url.pathname.startsWith(`${prefix}/`) ? url.pathname.slice(prefix.length) : "";
    const match = /^\/calendar\/v3\/calendars\/([^/]+)\/events$/.exec(path);
    if (req.method !== "GET" || !match?.[1])
      return send(
        res,
        404,
        googleErrorBody({
          status: 404,
          domain: "global",
          reason: "notFound",
          message: "Not Found",
          googleStatus: "NOT_FOUND",
        }),
      );
    const calendarId = decodeURIComponent(match[1]);
    const params = Object.fromEntries(url.searchParams);
    const record = (status: number) => calls.push({ calendarId, path: url.pathname, params, status });
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (!bearer || !token.isValidAccessToken(bearer)) {
      record(401);
      return sendError(res, {
        status: 401,
        domain: "global",
        reason: "authError",
        message: "Request had invalid authentication credentials.",
        googleStatus: "UNAUTHENTICATED",
      });
    }
    const calendar = calendars.get(calendarId);
    const injected = calendar?.failures.shift();
    if (injected) {
      record(injected.status);
      if (injected.delayMs) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            holds.delete(timer);
            resolve();
          }, injected.delayMs);
          holds.add(timer);
        });
      }
      return res.destroyed ? injected.status : sendError(res, injected);
    }
    if (!calendar) {
      record(404);
      return sendError(res, {
        status: 404,
        domain: "global",
        reason: "notFound",
        message: "Not Found",
        googleStatus: "NOT_FOUND",
      });
    }
    const status = listEvents(calendarId, calendar, params, res);
    record(status);
    return status;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) =>
      send(res, 500, JSON.stringify({ error: { code: 500, message: error.message } })),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    /** The Calendar API root to pass as rootUrl, the path prefix included. */
    rootUrl: new URL(`${prefix}/`, url).href,
    tokenUrl: `${url}token`,
    token,
    calls,
    addCalendar(calendarId: string, timeZone = "UTC"): void {
      calendars.set(calendarId, { timeZone, events: new Map(), oldestValidToken: 0, failures: [] });
    },
    /** Creates or changes an event; it shows in the next listing. */
    putEvent(calendarId: string, event: FakeEvent): void {
      version += 1;
      calendarOf(calendarId).events.set(event.id, { event, version, deleted: false });
    },
    deleteEvent(calendarId: string, eventId: string): void {
      const stored = calendarOf(calendarId).events.get(eventId);
      if (!stored) throw new Error(`fake has no event ${eventId}`);
      version += 1;
      calendarOf(calendarId).events.set(eventId, { ...stored, version, deleted: true });
    },
    /** Queues errors answered (in order) to the next listings of a calendar. */
    fail(calendarId: string, ...errors: InjectedError[]): void {
      calendarOf(calendarId).failures.push(...errors);
    },
    /** Makes every sync token issued so far answer 410 fullSyncRequired. */
    expireSyncTokens(calendarId: string): void {
      calendarOf(calendarId).oldestValidToken = version + 1;
    },
    removeCalendar(calendarId: string): void {
      calendars.delete(calendarId);
    },
    callsTo(calendarId: string): RecordedListCall[] {
      return calls.filter((call) => call.calendarId === calendarId);
    },
    async close(): Promise<void> {
      for (const timer of holds) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** The running fake. */
export type FakeGoogleCalendar = Awaited<ReturnType<typeof startFakeGoogleCalendar>>;
