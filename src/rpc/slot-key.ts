import type { ResourceIds, Slot, SlotTime } from "../../gen/booking/partner/v3/slot_pb.js";
import type { SlotKey } from "../booking/inventory.js";

// Validation bounds every `*_sec` field to 2000-2100 and at most seven days, so Number() is exact.

/** The slot a validated request names (merchant, service, start, duration and resources). */
export function slotKeyOf(slot: Slot): SlotKey {
  return keyOf(slot.merchantId, slot.serviceId, slot.startSec, slot.durationSec, slot.resources);
}

/** A validated SlotTime of a BatchAvailabilityLookup, under the request's merchant; duration 0 matches any. */
export function slotTimeKeyOf(merchantId: string, slotTime: SlotTime): SlotKey {
  return keyOf(merchantId, slotTime.serviceId, slotTime.startSec, slotTime.durationSec, slotTime.resourceIds);
}

/** One object literal, so every key has one shape (a lookup builds one per slot time). */
function keyOf(
  merchantId: string,
  serviceId: string,
  startSec: bigint,
  durationSec: bigint,
  resources: ResourceIds | undefined,
): SlotKey {
  return {
    merchantId,
    serviceId,
    startSec: Number(startSec),
    durationSec: Number(durationSec),
    staffId: resources?.staffId ?? "",
    roomId: resources?.roomId ?? "",
    partySize: resources?.partySize ?? 0,
  };
}
