import {
  ConfirmationModeSchema,
  type ResourceIds,
  type Slot,
  type SlotTime,
} from "../../../gen/booking/partner/v3/slot_pb.js";
import type { FieldViolation } from "../errors.js";
import { checkDurationSec, checkEnum, checkEpochSec, checkPartySize, checkText } from "./field-checks.js";
import { fieldLimits } from "./validation-limits.js";

/** Which parts of a Slot a request must carry. */
export interface SlotRequirements {
  /** merchant_id, service_id and start_sec (CreateBooking, CheckAvailability). */
  identity: boolean;
  duration: boolean;
}

const id = { maxChars: fieldLimits.idChars };

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
  checkText(out, `${path}.merchant_id`, slot.merchantId, { ...id, required: required.identity });
  checkText(out, `${path}.service_id`, slot.serviceId, { ...id, required: required.identity });
  checkEpochSec(out, `${path}.start_sec`, slot.startSec, required.identity);
  checkDurationSec(out, `${path}.duration_sec`, slot.durationSec, required.duration);
  checkText(out, `${path}.availability_tag`, slot.availabilityTag, id);
  validateResourceIds(out, `${path}.resources`, slot.resources);
  checkEnum(out, `${path}.confirmation_mode`, slot.confirmationMode, ConfirmationModeSchema);
}

/** Checks one SlotTime of a BatchAvailabilityLookup: service_id and start_sec are required. */
export function validateSlotTime(out: FieldViolation[], path: string, slotTime: SlotTime): void {
  checkText(out, `${path}.service_id`, slotTime.serviceId, { ...id, required: true });
  checkEpochSec(out, `${path}.start_sec`, slotTime.startSec, true);
  checkDurationSec(out, `${path}.duration_sec`, slotTime.durationSec, false);
  checkText(out, `${path}.availability_tag`, slotTime.availabilityTag, id);
  validateResourceIds(out, `${path}.resource_ids`, slotTime.resourceIds);
  checkEnum(out, `${path}.confirmation_mode`, slotTime.confirmationMode, ConfirmationModeSchema);
}
