import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCalendarCredentials } from "../../src/calendar/calendar-credentials.js";
import type { BusyResource } from "../../src/calendar/calendar-link.js";
import type { CalendarStore } from "../../src/calendar/calendar-store.js";
import {
  type CalendarSyncer,
  type CalendarSyncerOptions,
  createCalendarSyncer,
} from "../../src/calendar/calendar-syncer.js";
import { openStorage } from "../../src/store/open-storage.js";
import type { Storage } from "../../src/store/storage.js";
import { createLogSink } from "../support/log-sink.js";
import { openSqlProbe, type SqlProbe } from "../support/sql-probe.js";
import { createTestDatabase, type TestBackend } from "../support/test-database.js";
import type { FakeEvent, FakeGoogleCalendar } from "./fake-google-calendar.js";

/** 2030-03-01T00:00:00Z: every test clock starts here, so March and November 2030 DST days are ahead. */
export const calendarTestNowSec = Date.UTC(2030, 2, 1) / 1000;

/** Seconds since the epoch of an ISO instant. */
export const at = (iso: string): number => Date.parse(iso) / 1000;

let eventCounter = 0;

/** A timed, busy event from `start` to `end` (RFC 3339 with offset); overrides merge in. */
export function makeEvent(start: string, end: string, overrides: Partial<FakeEvent> = {}): FakeEvent {
  eventCounter += 1;
  return {
    id: `evt${eventCounter}`,
    summary: "Dentist",
    start: { dateTime: start },
    end: { dateTime: end },
    ...overrides,
  };
}

/** An all-day event over [startDate, endDate) (end exclusive, as the API sends it). */
export function makeAllDayEvent(startDate: string, endDate: string, overrides: Partial<FakeEvent> = {}): FakeEvent {
  return makeEvent("", "", { start: { date: startDate }, end: { date: endDate }, ...overrides });
}

/**
 * Credentials whose token endpoint nothing listens on (port 9): for a link that is stored, and whose
 * busy time a test writes itself, but that is never synced.
 */
export function unreachableCalendarCredentials(refreshToken = "1//refresh") {
  return parseCalendarCredentials(
    JSON.stringify({
      client_id: "client.apps.googleusercontent.com",
      client_secret: "GOCSPX-secret",
      refresh_token: refreshToken,
      token_uri: "http://127.0.0.1:9/token",
    }),
  );
}

let grantCounter = 0;

/** Registers a fresh OAuth grant with the fake and returns the credentials file JSON for it. */
export function oauthCredentials(fake: FakeGoogleCalendar): {
  client_id: string;
  client_secret: string;
  refresh_token: string;
  token_uri: string;
} {
  grantCounter += 1;
  const grant = {
    clientId: `client-${grantCounter}.apps.googleusercontent.com`,
    clientSecret: `GOCSPX-secret-${grantCounter}`,
    refreshToken: `1//refresh-${grantCounter}-do-not-log`,
  };
  fake.token.addGrant(grant);
  return {
    client_id: grant.clientId,
    client_secret: grant.clientSecret,
    refresh_token: grant.refreshToken,
    token_uri: fake.tokenUrl,
  };
}

/** Writes JSON to a file in `dir` and returns its path. */
export function writeJsonFile(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

/** A store, a syncer against the fake, recorded sleeps and captured logs, over a fresh database. */
export interface SyncHarness {
  storage: Storage;
  sql: SqlProbe;
  /** The `--db` value of the database. */
  url: string;
  store: CalendarStore;
  syncer: CalendarSyncer;
  /** Every wait the retry policy asked for, in ms. */
  sleeps: number[];
  now: { sec: number };
  rawLog(): string;
  /** Links a calendar of the fake with fresh OAuth credentials; returns the link id. */
  link(calendarId: string, resource?: Partial<BusyResource>): Promise<number>;
  syncOne(linkId: number): ReturnType<CalendarSyncer["syncLinks"]>;
  close(): Promise<void>;
}

/** Opens a harness; `random` defaults to 0.5 so jitter is half of each ceiling. */
export async function openSyncHarness(
  fake: FakeGoogleCalendar,
  options: Partial<CalendarSyncerOptions> = {},
  backend: TestBackend = "sqlite",
): Promise<SyncHarness> {
  const database = await createTestDatabase(backend);
  const storage = await openStorage(database.url);
  const sql = openSqlProbe(database.url);
  const store = storage.calendar;
  const sleeps: number[] = [];
  const now = { sec: calendarTestNowSec };
  const log = createLogSink({ level: "debug" });
  const syncer = createCalendarSyncer({
    store,
    logger: log.logger,
    clock: { nowSec: () => now.sec },
    rootUrl: fake.rootUrl,
    maxResults: 2,
    ...options,
    retry: {
      random: () => 0.5,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...options.retry,
    },
  });
  return {
    storage,
    sql,
    url: database.url,
    store,
    syncer,
    sleeps,
    now,
    rawLog: log.raw,
    async link(calendarId, resource = {}) {
      const credentials = parseCalendarCredentials(JSON.stringify(oauthCredentials(fake)));
      const { link } = await store.saveLink(
        {
          merchantId: "m1",
          resourceKind: "merchant",
          resourceId: "",
          ...resource,
          calendarId,
          credentials,
        },
        now.sec,
      );
      return link.linkId;
    },
    async syncOne(linkId) {
      const link = await store.linkForSync(linkId);
      if (!link) throw new Error(`no link ${linkId}`);
      return syncer.syncLinks([link]);
    },
    async close() {
      await sql.close();
      await storage.close();
      await database.remove();
    },
  };
}
