import { localDayStartSec } from "./local-day-start.js";

/** When an event starts or ends: `date` for all-day events, `dateTime` (RFC 3339) for timed ones. */
export interface EventTime {
  date?: string | null;
  dateTime?: string | null;
  timeZone?: string | null;
}

/** The fields of a Calendar API event that decide whether, and when, it makes its owner busy. */
export interface CalendarEvent {
  id?: string | null;
  status?: string | null;
  transparency?: string | null;
  start?: EventTime | null;
  end?: EventTime | null;
  attendees?: { self?: boolean | null; responseStatus?: string | null }[] | null;
}

/** A half-open time range [startSec, endSec) in seconds since the epoch. */
export interface TimeRange {
  startSec: number;
  endSec: number;
}

/**
 * Whether an event blocks its calendar's owner: every event does (tentative ones included) unless it
 * is cancelled, marked transparent ("show as available"), or declined by the owner.
 */
export function isBusyEvent(event: CalendarEvent): boolean {
  if (event.status === "cancelled") return false;
  if (event.transparency === "transparent") return false;
  const own = event.attendees?.find((attendee) => attendee.self === true);
  return own?.responseStatus !== "declined";
}

/**
 * The time an event occupies: [start, end) of a timed event, or whole local days of an all-day event
 * (end date exclusive) in the calendar's time zone. Undefined when the event carries no usable times.
 */
export function eventTimeRange(event: CalendarEvent, calendarTimeZone: string): TimeRange | undefined {
  const start = instantSec(event.start, calendarTimeZone, "start");
  const end = instantSec(event.end, calendarTimeZone, "end");
  if (start === undefined || end === undefined || end <= start) return undefined;
  return { startSec: start, endSec: end };
}

/** The busy range of an event, or undefined when it does not block. */
export function busyRangeOf(event: CalendarEvent, calendarTimeZone: string): TimeRange | undefined {
  return isBusyEvent(event) ? eventTimeRange(event, calendarTimeZone) : undefined;
}

function instantSec(time: EventTime | null | undefined, timeZone: string, edge: "start" | "end"): number | undefined {
  if (time?.dateTime) {
    // RFC 3339 always carries an offset; without one Date.parse would use this machine's zone.
    if (!/(?:Z|[+-]\d{2}:\d{2})$/i.test(time.dateTime)) return undefined;
    const ms = Date.parse(time.dateTime);
    if (Number.isNaN(ms)) return undefined;
    // Whole seconds that still cover the event: round the start down and the end up.
    return edge === "start" ? Math.floor(ms / 1000) : Math.ceil(ms / 1000);
  }
  if (time?.date) {
    try {
      return localDayStartSec(time.date, timeZone);
    } catch {
      return undefined;
    }
  }
  return undefined;
}
