const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock fields of an instant in a time zone. */
interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function localFields(epochMs: number, timeZone: string): LocalFields {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  return fields as unknown as LocalFields;
}

/** Offset of local wall-clock time from UTC at an instant, in milliseconds (east positive). */
function offsetMs(epochMs: number, timeZone: string): number {
  const f = localFields(epochMs, timeZone);
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second) - Math.floor(epochMs / 1000) * 1000;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

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
  const offsets = new Set([-1, 0, 1].map((days) => offsetMs(wallMidnight + days * 86_400_000, timeZone)));
  let start: number | undefined;
  for (const offset of offsets) {
    const candidate = wallMidnight - offset;
    const f = localFields(candidate, timeZone);
    const sameDate = f.year === year && f.month === month && f.day === day;
    if (sameDate && (start === undefined || candidate < start)) start = candidate;
  }
  if (start !== undefined) return Math.floor(start / 1000);
  // A date the zone skipped entirely (Pacific/Apia, 2011-12-30) is empty: it begins where the next one does.
  const next = new Date(wallMidnight + 86_400_000).toISOString().slice(0, 10);
  return localDayStartSec(next, timeZone);
}
