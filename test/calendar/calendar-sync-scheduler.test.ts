import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseCalendarCredentials } from "../../src/calendar/calendar-credentials.js";
import { createCalendarSyncScheduler } from "../../src/calendar/calendar-sync-scheduler.js";
import { createLogger } from "../../src/logger.js";
import { openStorage } from "../../src/store/open-storage.js";
import type { Storage } from "../../src/store/storage.js";
import { createTestDatabase, type TestDatabase, testBackends } from "../support/test-database.js";
import { calendarTestNowSec, makeEvent, oauthCredentials } from "./calendar-fixtures.js";
import { type FakeGoogleCalendar, startFakeGoogleCalendar } from "./fake-google-calendar.js";
import { googleErrors } from "./google-error-bodies.js";

const logger = createLogger({ level: "silent" });
const clock = { nowSec: () => calendarTestNowSec };

describe.each(testBackends)("calendar sync scheduler (%s)", (backend) => {
  let fake: FakeGoogleCalendar;
  let database: TestDatabase;
  let storage: Storage;

  beforeAll(async () => {
    fake = await startFakeGoogleCalendar();
    database = await createTestDatabase(backend);
    storage = await openStorage(database.url);
  });

  afterAll(async () => {
    await storage.close();
    await database.remove();
    await fake.close();
  });

  const linkCalendar = async (calendarId: string): Promise<number> => {
    fake.addCalendar(calendarId);
    fake.putEvent(calendarId, makeEvent("2030-03-05T10:00:00Z", "2030-03-05T11:00:00Z"));
    const credentials = parseCalendarCredentials(JSON.stringify(oauthCredentials(fake)));
    const { link } = await storage.calendar.saveLink(
      { merchantId: "m1", resourceKind: "merchant", resourceId: "", calendarId, credentials },
      clock.nowSec(),
    );
    return link.linkId;
  };

  const statusOf = async (linkId: number) => (await storage.calendar.linkStatuses()).find((s) => s.linkId === linkId);

  it("syncs due links on its timer until stopped", async () => {
    const linkId = await linkCalendar("scheduled@example.com");
    const scheduler = createCalendarSyncScheduler({
      store: storage.calendar,
      logger,
      clock,
      rootUrl: fake.rootUrl,
      intervalMs: 10,
    });
    scheduler.start();
    try {
      await vi.waitFor(async () => expect((await statusOf(linkId))?.busyIntervals).toBe(1), {
        timeout: 5000,
        interval: 10,
      });
    } finally {
      await scheduler.stop();
    }
    expect((await statusOf(linkId))?.state.lastSuccessSec).toBe(calendarTestNowSec);
  });

  it("stop() aborts a sync in flight without recording it as a failure", async () => {
    const linkId = await linkCalendar("stopped@example.com");
    fake.fail("stopped@example.com", { ...googleErrors.backendError(), delayMs: 60_000 });
    const scheduler = createCalendarSyncScheduler({
      store: storage.calendar,
      logger,
      clock,
      rootUrl: fake.rootUrl,
      intervalMs: 60_000,
    });
    const pass = scheduler.runOnce();
    await vi.waitFor(() => expect(fake.callsTo("stopped@example.com")).toHaveLength(1), {
      timeout: 5000,
      interval: 10,
    });
    await scheduler.stop();
    expect(await pass).toEqual(expect.arrayContaining([{ linkId, outcome: "cancelled" }]));
    expect((await statusOf(linkId))?.state).toMatchObject({ consecutiveFailures: 0 });
    expect((await statusOf(linkId))?.state.lastError).toBeUndefined();
  });
});
