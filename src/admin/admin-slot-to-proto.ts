import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Slot, SlotSchema } from "../../gen/booking/admin/v1/admin_service_pb.js";
import { slotEtag } from "../booking/etag.js";
import type { InventorySlot, SlotKey } from "../booking/inventory.js";
import type { SlotRemoval, SlotUpsert } from "../booking/slot-changes.js";
import type { RequestFields } from "./request-fields.js";

/** A slot as the merchant sees it, with its etag. */
export function adminSlotToProto(slot: InventorySlot): MessageInitShape<typeof SlotSchema> {
  return {
    merchantId: slot.merchantId,
    serviceId: slot.serviceId,
    startSec: BigInt(slot.startSec),
    durationSec: BigInt(slot.durationSec),
    staffId: slot.staffId,
    roomId: slot.roomId,
    partySize: slot.partySize,
    spotsTotal: slot.spotsTotal,
    spotsBooked: slot.spotsBooked,
    spotsExternal: slot.spotsExternal,
    etag: slotEtag(slot),
    withdrawn: !slot.inFeed,
  };
}

/** The key of an admin Slot: merchant, service, start, duration, staff, room and party size. */
export function readSlotKey(slot: Slot, field: string, fields: RequestFields): SlotKey {
  if (slot.partySize < 0) fields.violation(`${field}.party_size`, "must not be negative");
  return {
    merchantId: fields.text(slot.merchantId, `${field}.merchant_id`),
    serviceId: fields.text(slot.serviceId, `${field}.service_id`),
    startSec: fields.seconds(slot.startSec, `${field}.start_sec`, 1),
    durationSec: fields.seconds(slot.durationSec, `${field}.duration_sec`, 1),
    staffId: slot.staffId,
    roomId: slot.roomId,
    partySize: Math.max(0, slot.partySize),
  };
}

/** A slot to create or change: its key, capacity (spots_booked is the server's and ignored) and etag. */
export function readSlotUpsert(slot: Slot, field: string, fields: RequestFields): SlotUpsert {
  if (slot.spotsTotal < 0) fields.violation(`${field}.spots_total`, "must not be negative");
  if (slot.spotsExternal < 0) fields.violation(`${field}.spots_external`, "must not be negative");
  return {
    ...readSlotKey(slot, field, fields),
    spotsTotal: Math.max(0, slot.spotsTotal),
    spotsExternal: Math.max(0, slot.spotsExternal),
    etag: slot.etag,
  };
}

/** A slot to withdraw: its key and etag. */
export function readSlotRemoval(slot: Slot, field: string, fields: RequestFields): SlotRemoval {
  return { ...readSlotKey(slot, field, fields), etag: slot.etag };
}
