import type { CreateBookingRequest } from "../../../gen/booking/partner/v3/booking_service_pb.js";
import type { FieldViolation } from "../../contract/errors.js";
import { checkText } from "./field-checks.js";
import { validatePaymentInformation, validatePaymentProcessingParameters } from "./validate-payment.js";
import { validateSlot } from "./validate-slot.js";
import { validateUserInformation } from "./validate-user-information.js";
import { fieldLimits } from "./validation-limits.js";

/**
 * Every violation of a CreateBookingRequest. The slot must name merchant, service, start and duration;
 * the user must carry everything Google's UserInformation marks required (user_id, given_name,
 * family_name, telephone, email), because a merchant cannot honour a booking it cannot contact about.
 */
export function validateCreateBooking(req: CreateBookingRequest): FieldViolation[] {
  const out: FieldViolation[] = [];
  validateSlot(out, "slot", req.slot, { identity: true, duration: true });
  validateUserInformation(out, "user_information", req.userInformation, true);
  validatePaymentInformation(out, "payment_information", req.paymentInformation);
  validatePaymentProcessingParameters(out, "payment_processing_parameters", req.paymentProcessingParameters);
  checkText(out, "idempotency_token", req.idempotencyToken, { required: true, maxChars: fieldLimits.tokenChars });
  checkText(out, "additional_request", req.additionalRequest, {
    maxChars: fieldLimits.additionalRequestChars,
    multiline: true,
  });
  checkText(out, "offer_id", req.offerId, { maxChars: fieldLimits.idChars });
  checkText(out, "deal_id", req.dealId, { maxChars: fieldLimits.idChars });
  if (req.leaseRef) checkText(out, "lease_ref.lease_id", req.leaseRef.leaseId, { maxChars: fieldLimits.idChars });
  return out;
}
