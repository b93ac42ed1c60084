import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends } from "../support/test-database.js";
import { at, makeEvent, openSyncHarness, type SyncHarness } from "./calendar-fixtures.js";
import { type FakeGoogleCalendar, startFakeGoogleCalendar } from "./fake-google-calendar.js";

describe.each(testBackends)("calendar sync (%s)", (backend) => {
  let fake: FakeGoogleCalendar;
  let harness: SyncHarness;

  beforeAll(async () => {
    fake = await startFakeGoogleCalendar();
    harness = await openSyncHarness(fake, {}, backend);
  });

  afterAll(async () => {
    await harness.close();
    await fake.close();
  });

  const busyRows = (linkId: number) =>
    harness.sql.rows(
      "SELECT source_ref, start_sec, end_sec FROM busy_interval WHERE source = 'calendar' AND source_ref LIKE ? ORDER BY start_sec",
      [`${linkId}:%`],
    );

  it("lists a calendar in full over several pages, then incrementally from the sync token", async () => {
    fake.addCalendar("pages@example.com", "Europe/Paris");
    for (let i = 0; i < 5; i++) {
      fake.putEvent(
        "pages@example.com",
        makeEvent(`2030-03-0${i + 2}T10:00:00+01:00`, `2030-03-0${i + 2}T11:00:00+01:00`, { id: `page${i}` }),
      );
    }
    const linkId = await harness.link("pages@example.com");
    const [first] = await harness.syncOne(linkId);
    expect(first).toMatchObject({ outcome: "synced", mode: "full", applied: { busyIntervals: 5, upserted: 5 } });
    const fullCalls = fake.callsTo("pages@example.com");
    expect(fullCalls).toHaveLength(3);
    expect(fullCalls[0]?.params).toMatchObject({
      singleEvents: "true",
      maxResults: "2",
      timeMin: expect.any(String),
      timeMax: expect.any(String),
    });
    expect(fullCalls[0]?.params.syncToken).toBeUndefined();
    expect(fullCalls[1]?.params.pageToken).toBeDefined();
    expect((await busyRows(linkId))[0]).toEqual({
      source_ref: `${linkId}:page0`,
      start_sec: at("2030-03-02T09:00:00Z"),
      end_sec: at("2030-03-02T10:00:00Z"),
    });

    fake.deleteEvent("pages@example.com", "page1");
    fake.putEvent("pages@example.com", makeEvent("2030-03-09T08:00:00Z", "2030-03-09T09:30:00Z", { id: "page3" }));
    const [second] = await harness.syncOne(linkId);
    expect(second).toMatchObject({
      outcome: "synced",
      mode: "incremental",
      applied: { busyIntervals: 4, upserted: 1, removed: 1 },
    });
    const incremental = fake.callsTo("pages@example.com").slice(3);
    expect(incremental[0]?.params.syncToken).toMatch(/^sync-/);
    expect(incremental[0]?.params.timeMin).toBeUndefined();
    expect(incremental[0]?.params.timeMax).toBeUndefined();
    expect((await busyRows(linkId)).map((row) => (row as { source_ref: string }).source_ref)).not.toContain(
      `${linkId}:page1`,
    );
  });
});
