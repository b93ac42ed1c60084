import type { OfferedSlot } from "../booking/inventory.js";
import type { FeedIssue } from "./feed-issues.js";
import type { FeedAvailability, FeedServiceAvailability } from "./read-availability-feed.js";

/** Most slots one feed may expand to; a guard against a recurrence that repeats every second for years. */
export const maxExpandedSlots = 2_000_000;

/**
 * Expands each availability entry into slots: start_sec, then every repeat_every_sec up to and including
 * repeat_until_sec, minus the instances overlapping a schedule_exception range and those past the block's
 * end_time_restrict. Two entries producing the same slot are an issue at the later entry.
 */
export function expandAvailability(blocks: readonly FeedServiceAvailability[]): {
  slots: OfferedSlot[];
  issues: FeedIssue[];
} {
  const slots: OfferedSlot[] = [];
  const issues: FeedIssue[] = [];
  const firstSeen = new Map<string, FeedAvailability>();
  for (const block of blocks) {
    for (const entry of block.availability) {
      for (const startSec of instanceStarts(entry, block.endTimeRestrict)) {
        if (slots.length >= maxExpandedSlots) {
          issues.push({
            ...entry.at,
            path: entry.path,
            message: `the feed expands to more than ${maxExpandedSlots} slots`,
          });
          return { slots, issues };
        }
        const slot = toSlot(entry, startSec);
        const key = JSON.stringify([
          slot.merchantId,
          slot.serviceId,
          startSec,
          slot.durationSec,
          slot.staffId,
          slot.roomId,
          slot.partySize,
        ]);
        const earlier = firstSeen.get(key);
        if (earlier) {
          if (issues.length < 50) {
            issues.push({
              ...entry.at,
              path: entry.path,
              message: `repeats the slot at start_sec ${startSec} already given at line ${earlier.at.line}`,
            });
          }
          continue;
        }
        firstSeen.set(key, entry);
        slots.push(slot);
      }
    }
  }
  return { slots, issues };
}

function* instanceStarts(entry: FeedAvailability, endTimeRestrict: number | undefined): Generator<number> {
  const until = entry.recurrence?.repeatUntilSec ?? entry.startSec;
  const every = entry.recurrence?.repeatEverySec ?? 1;
  for (let start = entry.startSec; start <= until; start += every) {
    if (endTimeRestrict !== undefined && start >= endTimeRestrict) return;
    const end = start + entry.durationSec;
    if (entry.exceptions.some((e) => e.beginSec < end && e.endSec > start)) continue;
    yield start;
  }
}

function toSlot(entry: FeedAvailability, startSec: number): OfferedSlot {
  return {
    merchantId: entry.merchantId,
    serviceId: entry.serviceId,
    startSec,
    durationSec: entry.durationSec,
    staffId: entry.staffId,
    roomId: entry.roomId,
    partySize: entry.partySize,
    spotsTotal: entry.spotsTotal,
    spotsOpen: entry.spotsOpen,
    confirmationMode: entry.confirmationMode,
    availabilityTag: entry.availabilityTag,
  };
}
