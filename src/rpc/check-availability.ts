import type { HandlerContext } from "@connectrpc/connect";
import {
  type CheckAvailabilityRequest,
  type CheckAvailabilityResponse,
  CheckAvailabilityResponse_DurationRequirement,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import type { Slot } from "../../gen/booking/partner/v3/slot_pb.js";
import type { BookingEngine } from "../booking/booking-engine.js";
import { withDomainErrors } from "../contract/booking-error-to-connect.js";
import { slotKeyOf } from "./slot-key.js";

/** CheckAvailability (legacy): the requested slot echoed, with the spots it has left (0 when not bookable). */
export function createCheckAvailabilityHandler(engine: BookingEngine) {
  return async (req: CheckAvailabilityRequest, _ctx: HandlerContext): Promise<CheckAvailabilityResponse> => {
    // Validation requires the slot.
    const query = slotKeyOf(req.slot as Slot);
    const [verdict] = await withDomainErrors(() => engine.lookupAvailability([query]));
    return {
      $typeName: "booking.partner.v3.CheckAvailabilityResponse",
      slot: req.slot,
      countAvailable: verdict?.bookable ? verdict.spotsLeft : 0,
      lastOnlineCancellableSec: 0n,
      durationRequirement: CheckAvailabilityResponse_DurationRequirement.DURATION_REQUIREMENT_UNSPECIFIED,
    };
  };
}
