import type { ResourceKind } from "../../booking/inventory.js";

/** Where a busy interval comes from: a manual block or a linked calendar's event. */
export type BusySource = "block" | "calendar";

/** One busy_interval row as written by blocks and calendar sync. */
export interface BusyIntervalRow {
  merchantId: string;
  resourceKind: ResourceKind;
  resourceId: string;
  startSec: number;
  endSec: number;
  source: BusySource;
  sourceRef: string;
  note: string;
}

/** The source_ref of a calendar event's interval: `<linkId>:<eventId>`. */
export function calendarSourceRef(linkId: number, eventId: string): string {
  return `${linkId}:${eventId}`;
}

/**
 * The source_ref range [from, to) holding exactly one link's rows: ';' sorts right after ':' bytewise
 * (SQLite's default, PostgreSQL's "C" collation, which the queries use).
 */
export function linkRefRange(linkId: number): [string, string] {
  return [`${linkId}:`, `${linkId};`];
}
