import type { FeedSlot } from "./feed-reader.js";
import { slotKey } from "./feed-reader.js";

/** How a check wants its spot chosen. */
export interface TakeSpotOptions {
  /** Slots the same user already holds: never these, and preferably nothing overlapping them. */
  readonly avoid?: readonly FeedSlot[];
  readonly where?: (slot: FeedSlot) => boolean;
}

/**
 * Hands out the feed's open spots to checks so that no two checks count on the same spot, and keeps
 * small untouched slots for the checks that need a whole slot to fill.
 */
export class SlotPool {
  private readonly remaining = new Map<string, number>();
  private readonly touched = new Set<string>();

  constructor(readonly slots: readonly FeedSlot[]) {
    for (const slot of slots) this.remaining.set(slotKey(slot), slot.spotsOpen);
  }

  /** The earliest `count` slots, for lookups that book nothing. */
  peek(count: number): FeedSlot[] {
    return this.slots.slice(0, count);
  }

  /** Takes one spot, preferring slots other checks already use; undefined when none is left. */
  takeSpot(options: TakeSpotOptions = {}): FeedSlot | undefined {
    const avoid = options.avoid ?? [];
    const avoided = new Set(avoid.map(slotKey));
    const candidates = this.slots.filter(
      (slot) => this.left(slot) > 0 && !avoided.has(slotKey(slot)) && (options.where?.(slot) ?? true),
    );
    const rank = (slot: FeedSlot) => [
      avoid.some((held) => overlaps(held, slot)) ? 1 : 0,
      this.touched.has(slotKey(slot)) ? 0 : 1,
      -this.left(slot),
      slot.startSec,
    ];
    const best = candidates.sort((x, y) => compareRanks(rank(x), rank(y)))[0];
    if (best) this.use(best, 1);
    return best;
  }

  /** Claims every open spot of an untouched slot with at most `maxSpots` open, smallest first. */
  claimWholeSlot(maxSpots: number): FeedSlot | undefined {
    const best = this.slots
      .filter((slot) => !this.touched.has(slotKey(slot)) && slot.spotsOpen <= maxSpots)
      .sort((x, y) => x.spotsOpen - y.spotsOpen || x.startSec - y.startSec)[0];
    if (best) this.use(best, best.spotsOpen);
    return best;
  }

  private left(slot: FeedSlot): number {
    return this.remaining.get(slotKey(slot)) ?? 0;
  }

  private use(slot: FeedSlot, spots: number): void {
    this.touched.add(slotKey(slot));
    this.remaining.set(slotKey(slot), this.left(slot) - spots);
  }
}

/** Whether two slots of one merchant overlap in time (a user policy may refuse such a pair). */
export function overlaps(a: FeedSlot, b: FeedSlot): boolean {
  return (
    a.merchantId === b.merchantId && a.startSec < b.startSec + b.durationSec && b.startSec < a.startSec + a.durationSec
  );
}

function compareRanks(x: number[], y: number[]): number {
  for (let i = 0; i < x.length; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
