import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseCalendarCredentials } from "../../src/calendar/calendar-credentials.js";
import { createCalendarSyncScheduler } from "../../src/calendar/calendar-sync-scheduler.js";
import { createLogger } from "../../src/logger.js";
import { createCalendarSqliteStore } from "../../src/store/sqlite/calendar-sqlite-store.js";
import { openDatabase, type SqliteDatabase } from "../../src/store/sqlite/open-database.js";
import { calendarTestNowSec, createTempDir, makeEvent, oauthCredentials } from "./calendar-fixtures.js";
import { type FakeGoogleCalendar, startFakeGoogleCalendar } from "./fake-google-calendar.js";
import { googleErrors } from "./google-error-bodies.js";

let fake: FakeGoogleCalendar;
let temp: ReturnType<typeof createTempDir>;
let db: SqliteDatabase;

beforeAll(async () => {
  fake = await startFakeGoogleCalendar();
  temp = createTempDir();
  db = openDatabase(join(temp.dir, "booking.db"));
});

afterAll(async () => {
  db.close();
  temp.remove();
  await fake.close();
});

const logger = createLogger({ level: "silent" });
const clock = { nowSec: () => calendarTestNowSec };

const linkCalendar = (calendarId: string): number => {
  fake.addCalendar(calendarId);
  fake.putEvent(calendarId, makeEvent("2030-03-05T10:00:00Z", "2030-03-05T11:00:00Z"));
  const credentials = parseCalendarCredentials(JSON.stringify(oauthCredentials(fake)));
  const store = createCalendarSqliteStore(db);
  return store.saveLink(
    { merchantId: "m1", resourceKind: "merchant", resourceId: "", calendarId, credentials },
    clock.nowSec(),
  ).link.linkId;
};

const statusOf = (linkId: number) =>
  createCalendarSqliteStore(db)
    .linkStatuses()
    .find((s) => s.linkId === linkId);

describe("calendar sync scheduler", () => {
  it("syncs due links on its timer until stopped", async () => {
    const linkId = linkCalendar("scheduled@example.com");
    const scheduler = createCalendarSyncScheduler({ db, logger, clock, rootUrl: fake.rootUrl, intervalMs: 10 });
    scheduler.start();
    try {
      await vi.waitFor(() => expect(statusOf(linkId)?.busyIntervals).toBe(1), { timeout: 5000, interval: 10 });
    } finally {
      await scheduler.stop();
    }
    expect(statusOf(linkId)?.state.lastSuccessSec).toBe(calendarTestNowSec);
  });

  it("stop() aborts a sync in flight without recording it as a failure", async () => {
    const linkId = linkCalendar("stopped@example.com");
    fake.fail("stopped@example.com", { ...googleErrors.backendError(), delayMs: 60_000 });
    const scheduler = createCalendarSyncScheduler({ db, logger, clock, rootUrl: fake.rootUrl, intervalMs: 60_000 });
    const pass = scheduler.runOnce();
    await vi.waitFor(() => expect(fake.callsTo("stopped@example.com")).toHaveLength(1), {
      timeout: 5000,
      interval: 10,
    });
    await scheduler.stop();
    expect(await pass).toEqual(expect.arrayContaining([{ linkId, outcome: "cancelled" }]));
    expect(statusOf(linkId)?.state).toMatchObject({ consecutiveFailures: 0 });
    expect(statusOf(linkId)?.state.lastError).toBeUndefined();
  });
});
