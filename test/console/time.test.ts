import { describe, expect, it } from "vitest";
import { addDays, localDateOf, timeLabel, weekStart, zonedSec } from "../../console/src/time.js";

describe("the console's merchant-time arithmetic", () => {
  it("turns a local day and time into the instant, across daylight saving changes", () => {
    // Paris: UTC+1 in winter, UTC+2 from 2026-03-29 02:00 local.
    expect(zonedSec("2026-01-15", 10 * 60, "Europe/Paris")).toBe(Date.UTC(2026, 0, 15, 9) / 1000);
    expect(zonedSec("2026-07-15", 10 * 60, "Europe/Paris")).toBe(Date.UTC(2026, 6, 15, 8) / 1000);
    expect(zonedSec("2026-03-29", 0, "Europe/Paris")).toBe(Date.UTC(2026, 2, 28, 23) / 1000);
    expect(zonedSec("2026-03-30", 0, "Europe/Paris") - zonedSec("2026-03-29", 0, "Europe/Paris")).toBe(23 * 3600);
    expect(zonedSec("2026-11-30", 9 * 60, "America/New_York")).toBe(Date.UTC(2026, 10, 30, 14) / 1000);
  });

  it("shows an instant on the merchant's day and clock, whatever the browser's zone", () => {
    const sec = Date.UTC(2026, 11, 31, 23, 30) / 1000;
    expect(localDateOf(sec, "Europe/Paris")).toBe("2027-01-01");
    expect(timeLabel(sec, "Europe/Paris")).toBe("00:30");
    expect(localDateOf(sec, "UTC")).toBe("2026-12-31");
  });

  it("counts calendar days and starts weeks on Monday", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(weekStart("2026-11-29")).toBe("2026-11-23");
    expect(weekStart("2026-11-30")).toBe("2026-11-30");
  });
});
