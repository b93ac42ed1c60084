import type { NotificationState, OutboxEntry } from "./outbox-entry.js";

/**
 * Which outbox entries to list: oldest first after `afterEntryId`, or with `newestFirst` newest first
 * before `beforeEntryId`.
 */
export interface NotificationQuery {
  states?: readonly NotificationState[];
  bookingId?: string;
  merchantId?: string;
  newestFirst?: boolean;
  afterEntryId?: number;
  beforeEntryId?: number;
  limit: number;
}

/** How many entries wait, and how many failed for good, for the queue-depth metrics. */
export interface OutboxDepth {
  pending: number;
  failed: number;
}

/**
 * The outbox's delivery side. Entries are written through BookingWriter in their change's transaction;
 * a delivery worker claims due ones, sends them and records the outcome (RetryNotification is a write of
 * the booking store: see notification-retry.ts). A claim is a lease: until it runs out no other worker
 * (process or replica) claims the entry, and if the worker dies the entry is claimed again once it has
 * run out, so every entry is sent at least once.
 */
export interface NotificationOutbox {
  /**
   * Leases up to `limit` due pending entries, oldest first, none of whose keys has an older pending
   * entry (so one booking's updates go out in order), until `nowMs + leaseMs` (milliseconds since the
   * epoch: backoff and leases are finer than the domain clock's seconds).
   */
  claim(nowMs: number, limit: number, leaseMs: number): Promise<OutboxEntry[]>;
  markDelivered(entryId: number, nowSec: number): Promise<void>;
  /** Counts an attempt and holds the entry back until `nextAttemptMs`. */
  markRetry(entryId: number, error: string, nextAttemptMs: number): Promise<void>;
  /** Counts an attempt and stops delivery of the entry until RetryNotification queues it again. */
  markFailed(entryId: number, error: string): Promise<void>;
  list(query: NotificationQuery): Promise<OutboxEntry[]>;
  get(entryId: number): Promise<OutboxEntry | undefined>;
  depth(): Promise<OutboxDepth>;
}
