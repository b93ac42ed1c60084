import type { BatchAvailabilityLookupRequest } from "../../../gen/booking/partner/v3/booking_service_pb.js";
import type { SlotTime } from "../../../gen/booking/partner/v3/slot_pb.js";
import type { FieldViolation } from "../../contract/errors.js";
import { checkText } from "./field-checks.js";
import { validateSlotTime } from "./validate-slot.js";
import { fieldLimits } from "./validation-limits.js";

/** Every violation of a BatchAvailabilityLookupRequest: merchant_id and a non-empty slot_time list. */
export function validateBatchAvailabilityLookup(req: BatchAvailabilityLookupRequest): FieldViolation[] {
  const out: FieldViolation[] = [];
  checkText(out, "merchant_id", req.merchantId, { required: true, maxChars: fieldLimits.idChars });
  if (req.slotTime.length === 0) {
    out.push({ field: "slot_time", description: "must list at least one slot time" });
  }
  // Paths are built only for slot times that have violations: a lookup may list a thousand.
  const local: FieldViolation[] = [];
  for (let index = 0; index < req.slotTime.length; index++) {
    validateSlotTime(local, req.slotTime[index] as SlotTime);
    if (local.length === 0) continue;
    for (const v of local) out.push({ field: `slot_time[${index}].${v.field}`, description: v.description });
    local.length = 0;
  }
  return out;
}

/** The violation for a lookup over the configured slot_time limit, or undefined when it is within it. */
export function slotTimeOverLimit(
  req: BatchAvailabilityLookupRequest,
  maxSlotTimes: number,
): FieldViolation | undefined {
  if (req.slotTime.length <= maxSlotTimes) return undefined;
  return {
    field: "slot_time",
    description: `lists ${req.slotTime.length} slot times; at most ${maxSlotTimes} are accepted per request`,
  };
}
