import {
  ConfirmationModeSchema,
  type ResourceIds,
  type Slot,
  type SlotTime,
} from "../../../gen/booking/partner/v3/slot_pb.js";
import type { FieldViolation } from "../../contract/errors.js";
import { checkDurationSec, checkEnum, checkEpochSec, checkPartySize, checkText } from "./field-checks.js";
import { fieldLimits } from "./validation-limits.js";

/** Which parts of a Slot a request must carry. */
export interface SlotRequirements {
  /** merchant_id, service_id and start_sec (CreateBooking, CheckAvailability). */
  identity: boolean;
  duration: boolean;
}

const id = { maxChars: fieldLimits.idChars };
const requiredId = { maxChars: fieldLimits.idChars, required: true };

/** Checks the ids and party size of a ResourceIds, all optional. */
export function validateResourceIds(out: FieldViolation[], path: string, resources: ResourceIds | undefined): void {
  if (!resources) return;
  checkText(out, `${path}.staff_id`, resources.staffId, id);
  checkText(out, `${path}.room_id`, resources.roomId, id);
  checkPartySize(out, `${path}.party_size`, resources.partySize);
}

/** Checks a Slot at `path`; a missing slot is reported once, as the slot itself. */
export function validateSlot(
  out: FieldViolation[],
  path: string,
  slot: Slot | undefined,
  required: SlotRequirements,
): void {
  if (!slot) {
    if (required.identity || required.duration) out.push({ field: path, description: "is required" });
    return;
  }
  checkText(out, `${path}.merchant_id`, slot.merchantId, required.identity ? requiredId : id);
  checkText(out, `${path}.service_id`, slot.serviceId, required.identity ? requiredId : id);
  checkEpochSec(out, `${path}.start_sec`, slot.startSec, required.identity);
  checkDurationSec(out, `${path}.duration_sec`, slot.durationSec, required.duration);
  checkText(out, `${path}.availability_tag`, slot.availabilityTag, id);
  validateResourceIds(out, `${path}.resources`, slot.resources);
  checkEnum(out, `${path}.confirmation_mode`, slot.confirmationMode, ConfirmationModeSchema);
}

/**
 * Checks one SlotTime of a BatchAvailabilityLookup (service_id and start_sec are required), adding its
 * violations to `out` with paths relative to the SlotTime (`service_id`, `resource_ids.party_size`).
 */
export function validateSlotTime(out: FieldViolation[], slotTime: SlotTime): void {
  checkText(out, "service_id", slotTime.serviceId, requiredId);
  checkEpochSec(out, "start_sec", slotTime.startSec, true);
  checkDurationSec(out, "duration_sec", slotTime.durationSec, false);
  checkText(out, "availability_tag", slotTime.availabilityTag, id);
  if (slotTime.resourceIds) validateResourceIds(out, "resource_ids", slotTime.resourceIds);
  checkEnum(out, "confirmation_mode", slotTime.confirmationMode, ConfirmationModeSchema);
}
