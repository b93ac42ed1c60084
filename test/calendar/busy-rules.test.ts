import { describe, expect, it } from "vitest";
import { busyRangeOf, type CalendarEvent, eventTimeRange, isBusyEvent } from "../../src/calendar/busy-rules.js";
import { localDayStartSec } from "../../src/calendar/local-day-start.js";
import { at } from "./calendar-fixtures.js";

const timed = (overrides: Partial<CalendarEvent> = {}): CalendarEvent => ({
  id: "e1",
  status: "confirmed",
  start: { dateTime: "2030-03-05T10:00:00-05:00" },
  end: { dateTime: "2030-03-05T11:30:00-05:00" },
  ...overrides,
});

describe("busy rules", () => {
  it("a confirmed, opaque event blocks its time", () => {
    expect(busyRangeOf(timed(), "UTC")).toEqual({
      startSec: at("2030-03-05T15:00:00Z"),
      endSec: at("2030-03-05T16:30:00Z"),
    });
  });

  it("a tentative event blocks", () => {
    expect(isBusyEvent(timed({ status: "tentative" }))).toBe(true);
  });

  it("a transparent event (shown as available) does not block", () => {
    expect(isBusyEvent(timed({ transparency: "transparent" }))).toBe(false);
    expect(isBusyEvent(timed({ transparency: "opaque" }))).toBe(true);
  });

  it("a cancelled event does not block", () => {
    expect(busyRangeOf({ id: "e1", status: "cancelled" }, "UTC")).toBeUndefined();
  });

  it("an event the calendar's owner declined does not block; one declined by someone else does", () => {
    const owner = { email: "owner@example.com", self: true };
    const guest = { email: "guest@example.com" };
    expect(
      isBusyEvent(
        timed({
          attendees: [
            { ...owner, responseStatus: "declined" },
            { ...guest, responseStatus: "accepted" },
          ],
        }),
      ),
    ).toBe(false);
    expect(
      isBusyEvent(
        timed({
          attendees: [
            { ...owner, responseStatus: "accepted" },
            { ...guest, responseStatus: "declined" },
          ],
        }),
      ),
    ).toBe(true);
    expect(isBusyEvent(timed({ attendees: [{ ...owner, responseStatus: "tentative" }] }))).toBe(true);
    expect(isBusyEvent(timed({ attendees: [{ ...owner, responseStatus: "needsAction" }] }))).toBe(true);
  });

  it("reads RFC 3339 offsets and rounds partial seconds outwards", () => {
    const range = eventTimeRange(
      timed({ start: { dateTime: "2030-03-05T10:00:00.250+05:30" }, end: { dateTime: "2030-03-05T10:30:00.250Z" } }),
      "UTC",
    );
    expect(range).toEqual({ startSec: at("2030-03-05T04:30:00Z"), endSec: at("2030-03-05T10:30:01Z") });
  });

  it("ignores events without usable times: no offset, end before start, missing fields", () => {
    expect(eventTimeRange(timed({ start: { dateTime: "2030-03-05T10:00:00" } }), "UTC")).toBeUndefined();
    expect(eventTimeRange(timed({ end: { dateTime: "2030-03-05T09:00:00-05:00" } }), "UTC")).toBeUndefined();
    expect(eventTimeRange({ id: "e1", start: null, end: null }, "UTC")).toBeUndefined();
  });

  it("an all-day event blocks whole local days of the calendar's zone, end date exclusive", () => {
    const event = timed({ start: { date: "2030-06-03" }, end: { date: "2030-06-05" } });
    expect(eventTimeRange(event, "Asia/Kolkata")).toEqual({
      startSec: at("2030-06-02T18:30:00Z"),
      endSec: at("2030-06-04T18:30:00Z"),
    });
  });

  it("an all-day event on the spring-forward day lasts 23 hours, on the fall-back day 25", () => {
    const spring = eventTimeRange(
      timed({ start: { date: "2030-03-10" }, end: { date: "2030-03-11" } }),
      "America/New_York",
    );
    expect(spring).toEqual({ startSec: at("2030-03-10T05:00:00Z"), endSec: at("2030-03-11T04:00:00Z") });
    const fall = eventTimeRange(
      timed({ start: { date: "2030-11-03" }, end: { date: "2030-11-04" } }),
      "America/New_York",
    );
    expect(fall).toEqual({ startSec: at("2030-11-03T04:00:00Z"), endSec: at("2030-11-04T05:00:00Z") });
    expect(((spring?.endSec ?? 0) - (spring?.startSec ?? 0)) / 3600).toBe(23);
    expect(((fall?.endSec ?? 0) - (fall?.startSec ?? 0)) / 3600).toBe(25);
  });
});

describe("local day start", () => {
  it("is local midnight in zones east and west of UTC, and on half-hour offsets", () => {
    expect(localDayStartSec("2030-06-01", "UTC")).toBe(at("2030-06-01T00:00:00Z"));
    expect(localDayStartSec("2030-06-01", "America/Los_Angeles")).toBe(at("2030-06-01T07:00:00Z"));
    expect(localDayStartSec("2030-06-01", "Pacific/Chatham")).toBe(at("2030-05-31T11:15:00Z"));
  });

  it("is the instant after the jump when a DST change skips midnight (São Paulo, 2018-11-04)", () => {
    expect(localDayStartSec("2018-11-04", "America/Sao_Paulo")).toBe(at("2018-11-04T03:00:00Z"));
    expect(localDayStartSec("2018-11-05", "America/Sao_Paulo")).toBe(at("2018-11-05T02:00:00Z"));
  });

  it("is the earlier midnight's single occurrence after a fall-back (São Paulo, 2019-02-17)", () => {
    expect(localDayStartSec("2019-02-17", "America/Sao_Paulo")).toBe(at("2019-02-17T03:00:00Z"));
  });

  it("makes a date the zone skipped entirely an empty day (Apia, 2011-12-30)", () => {
    expect(localDayStartSec("2011-12-30", "Pacific/Apia")).toBe(localDayStartSec("2011-12-31", "Pacific/Apia"));
  });

  it("refuses malformed dates and unknown zones", () => {
    expect(() => localDayStartSec("2030-6-1", "UTC")).toThrow(RangeError);
    expect(() => localDayStartSec("2030-06-01", "Mars/Olympus_Mons")).toThrow(RangeError);
  });
});
