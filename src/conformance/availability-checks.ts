import type { SlotTime } from "../../gen/booking/partner/v3/slot_pb.js";
import type { Exchange } from "./booking-client.js";
import { rpc } from "./booking-client.js";
import type { Check, CheckContext } from "./check.js";
import { CheckSkipped } from "./check.js";
import { expectOk, fail } from "./check-expect.js";
import type { FeedSlot } from "./feed-reader.js";
import { describeSlot, slotDifferences, slotOf, slotTimeOf } from "./slot-messages.js";

/** Google's deadline for BatchAvailabilityLookup. */
export const lookupDeadlineMs = 1500;

/** A BatchAvailabilityLookup answer checked for shape: availability in the order the slots were asked. */
export interface Lookup {
  readonly available: readonly boolean[];
  readonly exchange: Exchange;
}

/**
 * Asks BatchAvailabilityLookup about slots of one merchant; fails unless the answer has exactly one
 * entry per requested slot_time, echoing it.
 */
export async function lookupAvailability(ctx: CheckContext, slots: readonly FeedSlot[]): Promise<Lookup> {
  const merchantId = (slots[0] as FeedSlot).merchantId;
  const outcome = await ctx.client.call(rpc.batchAvailabilityLookup, { merchantId, slotTime: slots.map(slotTimeOf) });
  const what = `BatchAvailabilityLookup for ${slots.length} slot times of ${merchantId}`;
  const entries = [...expectOk(outcome, what).slotTimeAvailability];
  const expected = "exactly one slot_time_availability per requested slot_time, echoing it";
  if (entries.length !== slots.length) {
    fail(`${what} answered ${entries.length} entries`, expected, outcome.exchange);
  }
  const available = slots.map((slot) => {
    const at = entries.findIndex((entry) => entry.slotTime && echoes(entry.slotTime, slot));
    if (at < 0) fail(`${what}: no entry echoes the slot_time of ${describeSlot(slot)}`, expected, outcome.exchange);
    return (entries.splice(at, 1)[0] as (typeof entries)[number]).available;
  });
  return { available, exchange: outcome.exchange };
}

// Compares what identifies a slot time; proto3 JSON may drop a default confirmation_mode.
function echoes(echo: SlotTime, slot: FeedSlot): boolean {
  return (
    echo.serviceId === slot.serviceId &&
    echo.startSec === BigInt(slot.startSec) &&
    echo.durationSec === BigInt(slot.durationSec) &&
    echo.availabilityTag === slot.availabilityTag &&
    (echo.resourceIds?.staffId ?? "") === slot.staffId &&
    (echo.resourceIds?.roomId ?? "") === slot.roomId &&
    (echo.resourceIds?.partySize ?? 0) === slot.partySize
  );
}

function byMerchant(slots: readonly FeedSlot[]): FeedSlot[][] {
  const groups = new Map<string, FeedSlot[]>();
  for (const slot of slots) groups.set(slot.merchantId, [...(groups.get(slot.merchantId) ?? []), slot]);
  return [...groups.values()];
}

function slotsToLookUp(ctx: CheckContext): FeedSlot[] {
  const slots = ctx.pool.peek(ctx.slotCount);
  if (slots.length === 0) throw new CheckSkipped("the feed has no slot with an open spot starting after --lead-time");
  return slots;
}

const batchAvailability: Check = {
  name: "batch-availability",
  description: `BatchAvailabilityLookup says N open feed slots are available, one echoed entry each, within ${lookupDeadlineMs} ms.`,
  needsFeed: true,
  async run(ctx) {
    for (const slots of byMerchant(slotsToLookUp(ctx))) {
      const lookup = await lookupAvailability(ctx, slots);
      const unavailable = slots.filter((_, i) => !lookup.available[i]);
      if (unavailable.length > 0) {
        fail(
          `${unavailable.length} of ${slots.length} feed slots with open spots are reported unavailable: ${unavailable.map(describeSlot).join("; ")}`,
          "available: true for every slot the feed lists as open",
          lookup.exchange,
        );
      }
      const ms = Math.round(lookup.exchange.durationMs);
      if (ms > lookupDeadlineMs) {
        fail(`BatchAvailabilityLookup took ${ms} ms`, `an answer within ${lookupDeadlineMs} ms`, lookup.exchange);
      }
      ctx.note(`${slots[0]?.merchantId}: ${slots.length} slot times answered in ${ms} ms`);
    }
  },
};

// CheckAvailability is legacy (BatchAvailabilityLookup replaced it), so an UNIMPLEMENTED answer is a
// legitimate "not offered": the check is skipped with that reason rather than failed or passed.
const checkAvailability: Check = {
  name: "check-availability",
  description: "CheckAvailability, where offered, gives count_available >= 1 for N open feed slots.",
  needsFeed: true,
  async run(ctx) {
    for (const slot of slotsToLookUp(ctx)) {
      const outcome = await ctx.client.call(rpc.checkAvailability, { slot: slotOf(slot) });
      if (!outcome.ok && outcome.error.code === "UNIMPLEMENTED") {
        throw new CheckSkipped(
          "CheckAvailability is not offered (HTTP 501 / UNIMPLEMENTED): a legacy method, BatchAvailabilityLookup replaces it",
        );
      }
      const response = expectOk(outcome, `CheckAvailability for ${describeSlot(slot)}`);
      const problems = slotDifferences(response.slot, slot);
      if (response.countAvailable < 1) problems.push(`count_available is ${response.countAvailable}`);
      if (problems.length > 0) {
        fail(
          `CheckAvailability for ${describeSlot(slot)}: ${problems.join("; ")}`,
          "the slot echoed and count_available >= 1",
          outcome.exchange,
        );
      }
    }
  },
};

/** Read-only availability checks; they run before anything is booked. */
export const availabilityChecks: readonly Check[] = [batchAvailability, checkAvailability];
