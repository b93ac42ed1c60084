import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Slot, SlotSchema, SlotTimeSchema } from "../../gen/booking/partner/v3/slot_pb.js";
import type { FeedSlot } from "./feed-reader.js";

/** The `Slot` a CreateBooking or CheckAvailability request carries for a feed slot. */
export function slotOf(slot: FeedSlot): MessageInitShape<typeof SlotSchema> {
  return {
    merchantId: slot.merchantId,
    serviceId: slot.serviceId,
    startSec: BigInt(slot.startSec),
    durationSec: BigInt(slot.durationSec),
    availabilityTag: slot.availabilityTag,
    resources: resourcesOf(slot),
    confirmationMode: slot.confirmationMode,
  };
}

/** The `SlotTime` a BatchAvailabilityLookup request carries for a feed slot (merchant goes outside). */
export function slotTimeOf(slot: FeedSlot): MessageInitShape<typeof SlotTimeSchema> {
  return {
    serviceId: slot.serviceId,
    startSec: BigInt(slot.startSec),
    durationSec: BigInt(slot.durationSec),
    availabilityTag: slot.availabilityTag,
    resourceIds: resourcesOf(slot),
    confirmationMode: slot.confirmationMode,
  };
}

/** Differences between a slot a server returned and the feed slot it should be, as readable lines. */
export function slotDifferences(actual: Slot | undefined, expected: FeedSlot): string[] {
  if (!actual) return ["slot is missing"];
  const wanted: [string, unknown, unknown][] = [
    ["merchant_id", actual.merchantId, expected.merchantId],
    ["service_id", actual.serviceId, expected.serviceId],
    ["start_sec", actual.startSec, BigInt(expected.startSec)],
    ["duration_sec", actual.durationSec, BigInt(expected.durationSec)],
  ];
  return wanted
    .filter(([, got, want]) => got !== want)
    .map(
      ([field, got, want]) =>
        `slot.${field} is ${JSON.stringify(String(got))}, expected ${JSON.stringify(String(want))}`,
    );
}

/** A short human name for a slot, e.g. `m1/s1 @ 2030-01-01T10:00:00Z (3600 s)`. */
export function describeSlot(slot: FeedSlot): string {
  const staff = slot.staffId ? ` staff ${slot.staffId}` : "";
  const room = slot.roomId ? ` room ${slot.roomId}` : "";
  const when = new Date(slot.startSec * 1000).toISOString().replace(".000Z", "Z");
  return `${slot.merchantId}/${slot.serviceId}${staff}${room} @ ${when} (${slot.durationSec} s)`;
}

function resourcesOf(slot: FeedSlot) {
  if (!slot.staffId && !slot.roomId && !slot.partySize) return undefined;
  return { staffId: slot.staffId, roomId: slot.roomId, partySize: slot.partySize };
}
