import { utcOffsetMs, wallClockAt } from "../booking/wall-clock.js";

/**
 * The first instant of a civil date ("YYYY-MM-DD") in an IANA time zone, in seconds since the epoch.
 * Usually local midnight; where a DST jump skips midnight, the instant the day begins after the jump.
 * Throws a RangeError for a malformed date or an unknown zone.
 */
export function localDayStartSec(date: string, timeZone: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`not a civil date: ${date}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const wallMidnight = Date.UTC(year, month - 1, day);
  // Any offset in force within a day of midnight yields a candidate; the earliest candidate whose local
  // date is this date is the day's start (two candidates differ only around a transition).
  const offsets = new Set([-1, 0, 1].map((days) => utcOffsetMs(wallMidnight + days * 86_400_000, timeZone)));
  let start: number | undefined;
  for (const offset of offsets) {
    const candidate = wallMidnight - offset;
    const f = wallClockAt(candidate, timeZone);
    const sameDate = f.year === year && f.month === month && f.day === day;
    if (sameDate && (start === undefined || candidate < start)) start = candidate;
  }
  if (start !== undefined) return Math.floor(start / 1000);
  // A date the zone skipped entirely (Pacific/Apia, 2011-12-30) is empty: it begins where the next one does.
  const next = new Date(wallMidnight + 86_400_000).toISOString().slice(0, 10);
  return localDayStartSec(next, timeZone);
}
