import type { TimeRange } from "./busy-rules.js";
import type {
  BusyResource,
  CalendarLink,
  CalendarLinkStatus,
  LinkForSync,
  LinkIdentity,
  NewCalendarLink,
} from "./calendar-link.js";

/** What one event now contributes: its busy range, or nothing (deleted, cancelled, free, declined). */
export interface BusyChange {
  eventId: string;
  range: TimeRange | undefined;
}

/** The outcome of listing a calendar: every event (full) or the changed ones (incremental). */
export interface SyncedEvents {
  mode: "full" | "incremental";
  changes: BusyChange[];
  nextSyncToken: string;
  timeZone: string;
}

/** A busy interval that started over a booking already made. */
export interface BusyConflict {
  conflictId: number;
  merchantId: string;
  source: "block" | "calendar";
  sourceRef: string;
  bookingId: string;
  bookingStatus: string;
  serviceId: string;
  staffId: string;
  roomId: string;
  slotStartSec: number;
  slotDurationSec: number;
  busyStartSec: number;
  busyEndSec: number;
  detectedSec: number;
  clearedSec?: number;
}

/** What applying a sync changed. */
export interface SyncApplied {
  upserted: number;
  removed: number;
  busyIntervals: number;
  newConflicts: BusyConflict[];
}

/** How a failed sync leaves its link. */
export interface FailurePlan {
  reason: string;
  message: string;
  nextAttemptSec: number | null;
  needsReauth: boolean;
  gone: boolean;
}

/** A manual block: an interval in which a merchant, staff member or room takes no bookings. */
export interface ManualBlock extends BusyResource {
  blockId: string;
  startSec: number;
  endSec: number;
  note: string;
}

/** Links, their sync state and the busy intervals they feed. Synchronous; each write is one transaction. */
export interface CalendarLinkStore {
  saveLink(link: NewCalendarLink, nowSec: number): { link: CalendarLink; created: boolean };
  /** Removes the link with its busy intervals and conflicts; false when it does not exist. */
  removeLink(linkId: number): boolean;
  linkForSync(linkId: number): LinkForSync | undefined;
  /** Links whose next attempt is due, oldest due first. */
  dueLinks(nowSec: number): LinkForSync[];
  allLinksForSync(): LinkForSync[];
  linkStatuses(): CalendarLinkStatus[];
  /** Forgets the link's sync token; false (and nothing done) when the link is no longer `link`. */
  dropSyncToken(link: LinkIdentity): boolean;
  /**
   * Replaces (full) or patches (incremental) the link's intervals and records the success, in one
   * transaction; undefined, writing nothing, when the link was removed or is no longer `link`.
   */
  applySync(link: LinkIdentity, events: SyncedEvents, nowSec: number, nextAttemptSec: number): SyncApplied | undefined;
  /** Records a failed sync; false (and nothing recorded) when the link was removed or is no longer `link`. */
  recordFailure(link: LinkIdentity, plan: FailurePlan, nowSec: number): boolean;
  conflicts(filter?: { merchantId?: string; includeCleared?: boolean }): BusyConflict[];
}

/** Manual blocks; effective for availability as soon as a call returns. */
export interface ManualBlockStore {
  addBlock(block: Omit<ManualBlock, "blockId">, nowSec: number): { block: ManualBlock; conflicts: BusyConflict[] };
  listBlocks(filter?: { merchantId?: string }): ManualBlock[];
  removeBlock(blockId: string, nowSec: number): boolean;
}

/** Everything calendar sync and blocks keep in the store. */
export type CalendarStore = CalendarLinkStore & ManualBlockStore;
