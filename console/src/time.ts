/** A calendar day as `YYYY-MM-DD`, in the merchant's time zone. */
export type LocalDate = string;

const partFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = partFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    partFormats.set(timeZone, format);
  }
  return format;
}

/** The wall clock of an instant in a time zone. */
export function wallClock(sec: number, timeZone: string) {
  const parts: Record<string, number> = {};
  for (const part of partsFormat(timeZone).formatToParts(new Date(sec * 1000))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

function offsetSec(sec: number, timeZone: string): number {
  const w = wallClock(sec, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) / 1000 - sec;
}

/** The instant a wall-clock time of a day has in a time zone (the later one across a DST change). */
export function zonedSec(date: LocalDate, minutes: number, timeZone: string): number {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const guess = Date.UTC(year, month - 1, day, 0, minutes) / 1000;
  const first = guess - offsetSec(guess, timeZone);
  return guess - offsetSec(first, timeZone);
}

/** The day an instant falls on in a time zone. */
export function localDateOf(sec: number, timeZone: string): LocalDate {
  const w = wallClock(sec, timeZone);
  return `${w.year}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
}

/** Minutes since midnight of an instant in a time zone. */
export function minuteOfDay(sec: number, timeZone: string): number {
  const w = wallClock(sec, timeZone);
  return w.hour * 60 + w.minute;
}

/** Today in a time zone. */
export function today(timeZone: string): LocalDate {
  return localDateOf(Math.floor(Date.now() / 1000), timeZone);
}

/** A day `days` after (or before) another, by the calendar. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The Monday of the week a day is in. */
export function weekStart(date: LocalDate): LocalDate {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const weekday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

/** `Tue 2 Dec` */
export function dayLabel(date: LocalDate): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "short", day: "numeric", month: "short" }).format(
    new Date(Date.UTC(year, month - 1, day)),
  );
}

/** `Tuesday 2 December 2025` */
export function longDayLabel(date: LocalDate): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: "UTC",
    weekday: "long",
    day: "numeric",
    month: "long",
    year: "numeric",
  }).format(new Date(Date.UTC(year, month - 1, day)));
}

/** `14:30` in the time zone. */
export function timeLabel(sec: number, timeZone: string): string {
  const w = wallClock(sec, timeZone);
  return `${String(w.hour).padStart(2, "0")}:${String(w.minute).padStart(2, "0")}`;
}

/** `Tue 2 Dec 14:30` in the time zone; an em dash for 0 (never). */
export function dateTimeLabel(sec: number, timeZone: string): string {
  if (sec === 0) return "—";
  return `${dayLabel(localDateOf(sec, timeZone))} ${timeLabel(sec, timeZone)}`;
}

/** `14:30` as minutes since midnight; undefined when it is not a time. */
export function parseTime(text: string): number | undefined {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return minutes <= 24 * 60 ? minutes : undefined;
}

/** Minutes since midnight as `09:05`. */
export function minutesLabel(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}
