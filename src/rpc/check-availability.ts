import type { MessageInitShape } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import type {
  CheckAvailabilityRequest,
  CheckAvailabilityResponseSchema,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import type { BookingEngine } from "../booking/booking-engine.js";
import { withDomainErrors } from "../contract/booking-error-to-connect.js";
import { invalidFields } from "../contract/errors.js";
import { RequestFields } from "./request-fields.js";

/** CheckAvailability (legacy): the requested slot echoed, with the spots it has left (0 when not bookable). */
export function createCheckAvailabilityHandler(engine: BookingEngine) {
  return async (
    req: CheckAvailabilityRequest,
    _ctx: HandlerContext,
  ): Promise<MessageInitShape<typeof CheckAvailabilityResponseSchema>> => {
    const fields = new RequestFields();
    const query = fields.slot(req.slot, "slot", { durationRequired: false });
    if (fields.violations.length > 0) throw invalidFields(fields.violations);
    const [verdict] = await withDomainErrors(() => engine.lookupAvailability([query]));
    return { slot: req.slot, countAvailable: verdict?.bookable ? verdict.spotsLeft : 0 };
  };
}
