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

/** Links, their sync state and the busy intervals they feed. Each write is one transaction. */
export interface CalendarLinkStore {
  saveLink(link: NewCalendarLink, nowSec: number): Promise<{ link: CalendarLink; created: boolean }>;
  /** Removes the link with its busy intervals and conflicts; false when it does not exist. */
  removeLink(linkId: number): Promise<boolean>;
  linkForSync(linkId: number): Promise<LinkForSync | undefined>;
  /**
   * Claims up to `limit` links whose next attempt is due, oldest due first: their next attempt moves to
   * `nowSec + leaseSec`, so another replica polling meanwhile does not sync them too. The sync's
   * success or failure then sets the real next attempt.
   */
  claimDueLinks(nowSec: number, leaseSec: number, limit: number): Promise<LinkForSync[]>;
  allLinksForSync(): Promise<LinkForSync[]>;
  linkStatuses(): Promise<CalendarLinkStatus[]>;
  /** Forgets the link's sync token; false (and nothing done) when the link is no longer `link`. */
  dropSyncToken(link: LinkIdentity): Promise<boolean>;
  /**
   * Replaces (full) or patches (incremental) the link's intervals and records the success, in one
   * transaction; undefined, writing nothing, when the link was removed or is no longer `link`.
   */
  applySync(
    link: LinkIdentity,
    events: SyncedEvents,
    nowSec: number,
    nextAttemptSec: number,
  ): Promise<SyncApplied | undefined>;
  /** Records a failed sync; false (and nothing recorded) when the link was removed or is no longer `link`. */
  recordFailure(link: LinkIdentity, plan: FailurePlan, nowSec: number): Promise<boolean>;
  conflicts(filter?: { merchantId?: string; includeCleared?: boolean }): Promise<BusyConflict[]>;
}

/** Manual blocks; effective for availability as soon as a call returns. */
export interface ManualBlockStore {
  addBlock(
    block: Omit<ManualBlock, "blockId">,
    nowSec: number,
  ): Promise<{ block: ManualBlock; conflicts: BusyConflict[] }>;
  listBlocks(filter?: { merchantId?: string }): Promise<ManualBlock[]>;
  removeBlock(blockId: string, nowSec: number): Promise<boolean>;
}

/** Everything calendar sync and blocks keep in the store. */
export type CalendarStore = CalendarLinkStore & ManualBlockStore;
