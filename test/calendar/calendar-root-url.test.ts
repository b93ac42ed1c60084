import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { systemClock } from "../../src/booking/clock.js";
import { CalendarRootUrlError, parseCalendarRootUrl } from "../../src/calendar/calendar-root-url.js";
import { calendarCommand } from "../../src/cli/calendar-command.js";
import { serveCommand } from "../../src/cli/serve-command.js";
import { createTempDir } from "../support/temp-dir.js";
import { makeEvent } from "./calendar-fixtures.js";
import { useSyncHarnessSuite } from "./sync-harness-suite.js";

let calendarCounter = 0;

describe("a Calendar API root behind a path prefix", () => {
  const suite = useSyncHarnessSuite("sqlite", { pathPrefix: "/proxy/google" });

  it.each([
    ["with", (root: string) => root],
    ["without", (root: string) => root.replace(/\/$/, "")],
  ])("keeps the prefix on every request (%s a trailing slash) and the sync succeeds", async (_name, rootOf) => {
    const fake = suite.fake();
    calendarCounter += 1;
    const calendarId = `prefixed${calendarCounter}@example.com`;
    fake.addCalendar(calendarId, "Europe/Berlin");
    fake.putEvent(calendarId, makeEvent("2030-03-05T10:00:00Z", "2030-03-05T11:00:00Z"));
    fake.putEvent(calendarId, makeEvent("2030-03-06T10:00:00Z", "2030-03-06T11:00:00Z"));
    fake.putEvent(calendarId, makeEvent("2030-03-07T10:00:00Z", "2030-03-07T11:00:00Z"));
    expect(fake.rootUrl).toMatch(/\/proxy\/google\/$/);
    const harness = await suite.open({ rootUrl: rootOf(fake.rootUrl) });
    const linkId = await harness.link(calendarId);

    const [report] = await harness.syncOne(linkId);

    expect(report).toMatchObject({ outcome: "synced", applied: { busyIntervals: 3 } });
    const calls = fake.callsTo(calendarId);
    // maxResults 2: two pages, both under the prefix.
    expect(calls.map((call) => [call.path, call.status])).toEqual([
      [`/proxy/google/calendar/v3/calendars/${encodeURIComponent(calendarId)}/events`, 200],
      [`/proxy/google/calendar/v3/calendars/${encodeURIComponent(calendarId)}/events`, 200],
    ]);
  });
});

describe("parseCalendarRootUrl", () => {
  it("keeps the path and ends it with one slash", () => {
    expect(parseCalendarRootUrl("https://www.googleapis.com/")).toBe("https://www.googleapis.com/");
    expect(parseCalendarRootUrl("http://proxy:8080")).toBe("http://proxy:8080/");
    expect(parseCalendarRootUrl("http://proxy:8080/prefix")).toBe("http://proxy:8080/prefix/");
    expect(parseCalendarRootUrl("http://proxy:8080/a/b//")).toBe("http://proxy:8080/a/b/");
  });

  it.each([
    ["not a url", /is not a URL: "not a url"/],
    ["ftp://proxy/", /must be an http or https URL, not ftp:/],
    ["file:///etc/passwd", /must be an http or https URL, not file:/],
    ["http://proxy/prefix?key=1", /must not carry a query or a fragment/],
    ["http://user:secret@proxy/", /must not carry credentials/],
  ])("refuses %s", (text, message) => {
    expect(() => parseCalendarRootUrl(text, "BOOKING_CALENDAR_ROOT_URL")).toThrow(CalendarRootUrlError);
    expect(() => parseCalendarRootUrl(text, "BOOKING_CALENDAR_ROOT_URL")).toThrow(message);
    expect(() => parseCalendarRootUrl(text)).not.toThrow(/secret/);
  });
});

describe("commands refuse an unusable Calendar API root at start", () => {
  const temps: ReturnType<typeof createTempDir>[] = [];
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    for (const temp of temps.splice(0)) temp.remove();
  });
  const tempDbPath = () => {
    const temp = createTempDir();
    temps.push(temp);
    return join(temp.dir, "booking.db");
  };

  it.each([
    ["ftp://proxy/calendar", "must be an http or https URL, not ftp:"],
    ["::not a url::", 'is not a URL: "::not a url::"'],
  ])("serve refuses BOOKING_CALENDAR_ROOT_URL=%s with one line and exit code 2", async (value, message) => {
    vi.stubEnv("BOOKING_CALENDAR_ROOT_URL", value);
    const written: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((text) => {
      written.push(String(text));
      return true;
    });
    const code = await serveCommand(["--demo", "--port", "0", "--db", tempDbPath()]);
    expect(code).toBe(2);
    expect(written).toEqual([`booking-server serve: BOOKING_CALENDAR_ROOT_URL ${message}\n`]);
  });

  it("calendar sync refuses a --root-url that is not http(s) before it touches the database", async () => {
    let stderr = "";
    const code = await calendarCommand(["sync", "--root-url", "gopher://proxy/", "--db", tempDbPath()], {
      clock: systemClock,
      stdout: () => undefined,
      stderr: (text) => {
        stderr += text;
      },
    });
    expect(code).toBe(2);
    expect(stderr.split("\n")[0]).toBe(
      "booking-server calendar sync: --root-url must be an http or https URL, not gopher:",
    );
  });
});
