import type { ResourceIds, Slot, SlotTime } from "../../gen/booking/partner/v3/slot_pb.js";
import type { SlotKey } from "../booking/inventory.js";

// Validation bounds every `*_sec` field to 2000-2100 and at most seven days, so Number() is exact.

/** The slot a validated request names (merchant, service, start, duration and resources). */
export function slotKeyOf(slot: Slot): SlotKey {
  return {
    merchantId: slot.merchantId,
    serviceId: slot.serviceId,
    startSec: Number(slot.startSec),
    durationSec: Number(slot.durationSec),
    ...resourcesOf(slot.resources),
  };
}

/** A validated SlotTime of a BatchAvailabilityLookup, under the request's merchant; duration 0 matches any. */
export function slotTimeKeyOf(merchantId: string, slotTime: SlotTime): SlotKey {
  const resources = slotTime.resourceIds;
  return {
    merchantId,
    serviceId: slotTime.serviceId,
    startSec: Number(slotTime.startSec),
    durationSec: Number(slotTime.durationSec),
    staffId: resources?.staffId ?? "",
    roomId: resources?.roomId ?? "",
    partySize: resources?.partySize ?? 0,
  };
}

function resourcesOf(resources: ResourceIds | undefined): Pick<SlotKey, "staffId" | "roomId" | "partySize"> {
  return { staffId: resources?.staffId ?? "", roomId: resources?.roomId ?? "", partySize: resources?.partySize ?? 0 };
}
