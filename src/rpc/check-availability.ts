import type { MessageInitShape } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import type {
  CheckAvailabilityRequest,
  CheckAvailabilityResponseSchema,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import type { Slot } from "../../gen/booking/partner/v3/slot_pb.js";
import type { BookingEngine } from "../booking/booking-engine.js";
import { withDomainErrors } from "../contract/booking-error-to-connect.js";
import { slotKeyOf } from "./slot-key.js";

/** CheckAvailability (legacy): the requested slot echoed, with the spots it has left (0 when not bookable). */
export function createCheckAvailabilityHandler(engine: BookingEngine) {
  return async (
    req: CheckAvailabilityRequest,
    _ctx: HandlerContext,
  ): Promise<MessageInitShape<typeof CheckAvailabilityResponseSchema>> => {
    // Validation requires the slot.
    const query = slotKeyOf(req.slot as Slot);
    const [verdict] = await withDomainErrors(() => engine.lookupAvailability([query]));
    return { slot: req.slot, countAvailable: verdict?.bookable ? verdict.spotsLeft : 0 };
  };
}
