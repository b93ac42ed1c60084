import type { ResourceKind } from "../booking/inventory.js";
import type { CalendarCredentials } from "./calendar-credentials.js";

/** Whose time a calendar or a block holds: the merchant as a whole (resourceId ""), a staff member or a room. */
export interface BusyResource {
  merchantId: string;
  resourceKind: ResourceKind;
  resourceId: string;
}

/** A Google Calendar linked to a merchant, staff member or room. */
export interface CalendarLink extends BusyResource {
  linkId: number;
  calendarId: string;
  credentialsKind: CalendarCredentials["kind"];
  createdSec: number;
}

/**
 * What a sync knows its link by. A sync writes its results only while the stored link still matches
 * all of it, so a link removed (or replaced) meanwhile never receives another calendar's results.
 */
export type LinkIdentity = Pick<
  CalendarLink,
  "linkId" | "merchantId" | "resourceKind" | "resourceId" | "calendarId" | "createdSec"
>;

/** The last error a sync of a link ended with. */
export interface CalendarSyncError {
  reason: string;
  message: string;
  atSec: number;
}

/** Where a link's sync stands; what the merchant sees, plus the token the next sync continues from. */
export interface CalendarSyncState {
  /** The calendar's IANA zone as the API last reported it; all-day events are whole days in it. */
  timeZone: string;
  syncToken?: string;
  fullSyncSec?: number;
  lastAttemptSec?: number;
  lastSuccessSec?: number;
  lastError?: CalendarSyncError;
  /** When the scheduler syncs next; null when it will not until the link is fixed. */
  nextAttemptSec: number | null;
  consecutiveFailures: number;
  needsReauth: boolean;
  gone: boolean;
}

/** A link with what a sync needs: its credentials and its state. */
export interface LinkForSync extends CalendarLink {
  credentials: CalendarCredentials;
  state: CalendarSyncState;
}

/** A link as shown to the merchant: no credentials, no sync token. */
export interface CalendarLinkStatus extends CalendarLink {
  state: Omit<CalendarSyncState, "syncToken">;
  busyIntervals: number;
  openConflicts: number;
}

/** A link about to be stored; linking the same calendar to the same resource again replaces its credentials. */
export interface NewCalendarLink extends BusyResource {
  calendarId: string;
  credentials: CalendarCredentials;
}
