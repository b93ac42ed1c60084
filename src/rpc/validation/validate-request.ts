import type {
  BatchAvailabilityLookupRequest,
  CheckAvailabilityRequest,
  GetBookingStatusRequest,
  ListBookingsRequest,
} from "../../../gen/booking/partner/v3/booking_service_pb.js";
import type { FieldViolation } from "../../contract/errors.js";
import { checkText } from "./field-checks.js";
import { slotTimeOverLimit, validateBatchAvailabilityLookup } from "./validate-batch-availability-lookup.js";
import { validateCreateBooking } from "./validate-create-booking.js";
import { validateSlot } from "./validate-slot.js";
import { validateUpdateBooking } from "./validate-update-booking.js";
import { fieldLimits, type ValidationLimits } from "./validation-limits.js";

/** Why a request was refused, and every field that made it so. */
export interface ValidationFailure {
  reason: "INVALID_ARGUMENT" | "TOO_MANY_SLOTS";
  violations: FieldViolation[];
}

type Validator = (message: never, limits: ValidationLimits) => ValidationFailure | undefined;

const fieldsOnly =
  <M>(validate: (message: M) => FieldViolation[]) =>
  (message: M): ValidationFailure | undefined => {
    const violations = validate(message);
    return violations.length > 0 ? { reason: "INVALID_ARGUMENT", violations } : undefined;
  };

const requiredId = (field: string, value: string): FieldViolation[] => {
  const out: FieldViolation[] = [];
  checkText(out, field, value, { required: true, maxChars: fieldLimits.idChars });
  return out;
};

/** The validator of each method's request message, by method name. */
const validators: Record<string, Validator> = {
  BatchAvailabilityLookup: (req: BatchAvailabilityLookupRequest, limits: ValidationLimits) => {
    // Over the limit, nothing else is looked at: the answer must stay small and quick.
    const tooMany = slotTimeOverLimit(req, limits.maxSlotTimes);
    if (tooMany) return { reason: "TOO_MANY_SLOTS", violations: [tooMany] };
    return fieldsOnly(validateBatchAvailabilityLookup)(req);
  },
  CheckAvailability: fieldsOnly((req: CheckAvailabilityRequest) => {
    const out: FieldViolation[] = [];
    validateSlot(out, "slot", req.slot, { identity: true, duration: false });
    return out;
  }),
  CreateBooking: fieldsOnly(validateCreateBooking),
  UpdateBooking: fieldsOnly(validateUpdateBooking),
  GetBookingStatus: fieldsOnly((req: GetBookingStatusRequest) => requiredId("booking_id", req.bookingId)),
  ListBookings: fieldsOnly((req: ListBookingsRequest) => requiredId("user_id", req.userId)),
};

/**
 * Validates a decoded request of `method` before any work is done. Returns undefined when it may
 * proceed, else the reason and every violation (capped at a hundred, the rest summarised).
 */
export function validateRequest(
  method: string,
  message: unknown,
  limits: ValidationLimits,
): ValidationFailure | undefined {
  const validator = validators[method];
  const failure = validator?.(message as never, limits);
  if (!failure || failure.violations.length <= fieldLimits.maxReportedViolations) return failure;
  const shown = failure.violations.slice(0, fieldLimits.maxReportedViolations);
  const hidden = failure.violations.length - shown.length;
  shown.push({ field: "", description: `and ${hidden} more violations` });
  return { ...failure, violations: shown };
}
