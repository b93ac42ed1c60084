import { describe, expect, it } from "vitest";
import { testBackends } from "../support/test-database.js";
import { calendarTestNowSec, makeEvent, type SyncHarness } from "./calendar-fixtures.js";
import { googleErrors } from "./google-error-bodies.js";
import { useSyncHarnessSuite } from "./sync-harness-suite.js";

let counter = 0;
describe.each(testBackends)("a sync that outlives its link (%s)", (backend) => {
  const suite = useSyncHarnessSuite(backend);

  /** A calendar in the fake with one busy event, in its own zone. */
  const newCalendar = (timeZone: string, start: string, end: string) => {
    counter += 1;
    const calendarId = `owner${counter}@example.com`;
    suite.fake().addCalendar(calendarId, timeZone);
    suite.fake().putEvent(calendarId, makeEvent(start, end));
    return calendarId;
  };

  /**
   * A harness whose first retry wait runs `whileWaiting` (set by the test) before the retry goes on: the
   * moment a sync of a link is paused, as in production while it waits out a 503.
   */
  const openPausingHarness = async () => {
    let whileWaiting: (() => Promise<void>) | undefined;
    const harness = await suite.open({
      retry: {
        maxRetries: 1,
        sleep: async () => {
          const run = whileWaiting;
          whileWaiting = undefined;
          await run?.();
        },
      },
    });
    const duringRetryWait = (run: () => Promise<void>): void => {
      whileWaiting = run;
    };
    return { harness, duringRetryWait };
  };

  /** Everything a sync writes for a link: its sync state (token and zone included) and every calendar busy row. */
  const written = async (harness: SyncHarness, linkId: number) => ({
    state: (await harness.store.linkForSync(linkId))?.state,
    busy: await harness.sql.rows(
      `SELECT merchant_id, resource_kind, resource_id, start_sec, end_sec, source_ref FROM busy_interval
        WHERE source = 'calendar' ORDER BY source_ref`,
    ),
  });

  it.each([
    ["finishes", [googleErrors.serviceUnavailable()], 200],
    ["fails", [googleErrors.serviceUnavailable(), googleErrors.serviceUnavailable()], 503],
  ] as const)(
    "unlink and link give a new id, and an old sync that %s afterwards writes nothing into the new link",
    async (_name, errors, lastStatus) => {
      const { harness, duringRetryWait } = await openPausingHarness();
      const oldCalendar = newCalendar("Europe/Berlin", "2030-03-05T10:00:00Z", "2030-03-05T11:00:00Z");
      const newCalendarId = newCalendar("America/New_York", "2030-03-06T15:00:00Z", "2030-03-06T16:00:00Z");
      const oldLink = await harness.link(oldCalendar);
      suite.fake().fail(oldCalendar, ...errors);
      let newLink = 0;
      let before: Awaited<ReturnType<typeof written>> | undefined;
      duringRetryWait(async () => {
        expect(await harness.store.removeLink(oldLink)).toBe(true);
        newLink = await harness.link(newCalendarId, { resourceKind: "staff", resourceId: "st1" });
        expect(await harness.syncOne(newLink)).toMatchObject([{ outcome: "synced" }]);
        before = await written(harness, newLink);
      });

      const [report] = await harness.syncOne(oldLink);

      expect(newLink).toBeGreaterThan(oldLink);
      expect(
        suite
          .fake()
          .callsTo(oldCalendar)
          .map((call) => call.status),
      ).toEqual([503, lastStatus]);
      expect(report).toEqual({ linkId: oldLink, outcome: "removed" });
      expect(before?.state).toMatchObject({ timeZone: "America/New_York", syncToken: expect.any(String) });
      expect(before?.busy).toHaveLength(1);
      expect(await written(harness, newLink)).toEqual(before);
      expect(await harness.store.linkForSync(oldLink)).toBeUndefined();
    },
  );

  it("writes nothing into a link that took its id meanwhile (another calendar under the same id)", async () => {
    const { harness, duringRetryWait } = await openPausingHarness();
    const oldCalendar = newCalendar("Europe/Berlin", "2030-03-05T10:00:00Z", "2030-03-05T11:00:00Z");
    const otherCalendar = newCalendar("America/New_York", "2030-03-06T15:00:00Z", "2030-03-06T16:00:00Z");
    const linkId = await harness.link(oldCalendar);
    suite.fake().fail(oldCalendar, googleErrors.serviceUnavailable());
    let before: Awaited<ReturnType<typeof written>> | undefined;
    duringRetryWait(async () => {
      await harness.store.removeLink(linkId);
      // A reused id, as the old schema handed out; the ownership check must hold without the sequence.
      const replacement = await harness.link(otherCalendar, { resourceKind: "staff", resourceId: "st1" });
      await harness.sql.run("UPDATE calendar_link SET link_id = ? WHERE link_id = ?", [linkId, replacement]);
      expect(await harness.syncOne(linkId)).toMatchObject([{ outcome: "synced" }]);
      before = await written(harness, linkId);
    });

    const [report] = await harness.syncOne(linkId);

    expect(report).toEqual({ linkId, outcome: "removed" });
    expect((await harness.store.linkForSync(linkId))?.calendarId).toBe(otherCalendar);
    expect(await written(harness, linkId)).toEqual(before);
  });

  it("the store drops a token, a result or a failure addressed to a link that is no longer the same", async () => {
    const harness = await suite.open();
    const calendarId = newCalendar("UTC", "2030-03-05T10:00:00Z", "2030-03-05T11:00:00Z");
    const linkId = await harness.link(calendarId);
    const current = await harness.store.linkForSync(linkId);
    if (!current) throw new Error("link not saved");
    await harness.store.applySync(
      current,
      { mode: "full", changes: [], nextSyncToken: "sync-1", timeZone: "UTC" },
      calendarTestNowSec,
      calendarTestNowSec + 300,
    );
    const before = await written(harness, linkId);
    const events = {
      mode: "full" as const,
      changes: [{ eventId: "e1", range: { startSec: calendarTestNowSec, endSec: calendarTestNowSec + 3600 } }],
      nextSyncToken: "sync-stale",
      timeZone: "Asia/Tokyo",
    };
    const plan = { reason: "backendError", message: "boom", nextAttemptSec: 1, needsReauth: false, gone: false };
    for (const stale of [
      { ...current, calendarId: "someone-else@example.com" },
      { ...current, createdSec: current.createdSec - 1 },
      { ...current, resourceKind: "room" as const, resourceId: "r1" },
    ]) {
      expect(await harness.store.dropSyncToken(stale)).toBe(false);
      expect(
        await harness.store.applySync(stale, events, calendarTestNowSec, calendarTestNowSec + 300),
      ).toBeUndefined();
      expect(await harness.store.recordFailure(stale, plan, calendarTestNowSec)).toBe(false);
    }
    expect(await written(harness, linkId)).toEqual(before);
    expect(await harness.store.applySync(current, events, calendarTestNowSec, calendarTestNowSec + 300)).toMatchObject({
      upserted: 1,
    });
  });
});
