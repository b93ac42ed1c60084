import { BookingFailure_Cause } from "../../gen/booking/partner/v3/booking_pb.js";
import { lookupAvailability } from "./availability-checks.js";
import { bookSpot, claimWholeSlot, fillSlot } from "./booking-steps.js";
import type { Check } from "./check.js";
import { expectFailureCause, fail } from "./check-expect.js";
import { describeSlot } from "./slot-messages.js";

// Capacity is taken from spots_open rather than spots_total: the feed's spots_open already accounts
// for bookings made before the feed was written, and a server holds exactly that many free spots.
const slotFillsToCapacity: Check = {
  name: "slot-fills-to-capacity",
  description: "A slot takes exactly its open spots from the feed; the next CreateBooking gets SLOT_UNAVAILABLE.",
  needsFeed: true,
  async run(ctx) {
    const slot = claimWholeSlot(ctx);
    await fillSlot(ctx, slot, "fill");
    const extra = slot.spotsOpen + 1;
    expectFailureCause(
      await bookSpot(ctx, slot, "fill-extra"),
      BookingFailure_Cause.SLOT_UNAVAILABLE,
      `CreateBooking ${extra} on ${describeSlot(slot)} (spots_total ${slot.spotsTotal}, spots_open ${slot.spotsOpen} in the feed)`,
    );
    ctx.note(`${describeSlot(slot)}: ${slot.spotsOpen} bookings accepted, booking ${extra} refused`);
  },
};

const availabilityAgrees: Check = {
  name: "availability-agrees",
  description: "A slot BatchAvailabilityLookup shows available can be booked; once full it shows unavailable.",
  needsFeed: true,
  async run(ctx) {
    const slot = claimWholeSlot(ctx);
    const before = await lookupAvailability(ctx, [slot]);
    if (!before.available[0]) {
      fail(
        `BatchAvailabilityLookup says ${describeSlot(slot)} is unavailable before any booking`,
        `available: true (spots_open ${slot.spotsOpen} in the feed)`,
        before.exchange,
      );
    }
    // fillSlot fails the check if any of the open spots is refused.
    await fillSlot(ctx, slot, "agree");
    const after = await lookupAvailability(ctx, [slot]);
    if (after.available[0]) {
      fail(
        `BatchAvailabilityLookup still says ${describeSlot(slot)} is available after all ${slot.spotsOpen} open spots were booked`,
        "available: false",
        after.exchange,
      );
    }
  },
};

/** Checks that fill slots and compare the server's availability with what it accepted. */
export const capacityChecks: readonly Check[] = [slotFillsToCapacity, availabilityAgrees];
