import type { HandlerContext } from "@connectrpc/connect";
import type {
  BatchAvailabilityLookupRequest,
  BatchAvailabilityLookupResponse,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import type { BookingEngine } from "../booking/booking-engine.js";
import { withDomainErrors } from "../contract/booking-error-to-connect.js";
import { slotTimeKeyOf } from "./slot-key.js";

/**
 * BatchAvailabilityLookup: one answer per requested SlotTime, in request order, echoing it exactly;
 * an unknown slot is `available: false`, never an error. The slot_time limit is the validation
 * interceptor's (`--max-slot-times`), so there is one configurable cap, not two.
 */
export function createBatchAvailabilityLookupHandler(engine: BookingEngine) {
  return async (
    req: BatchAvailabilityLookupRequest,
    _ctx: HandlerContext,
  ): Promise<BatchAvailabilityLookupResponse> => {
    const queries = req.slotTime.map((slotTime) => slotTimeKeyOf(req.merchantId, slotTime));
    const verdicts = await withDomainErrors(() => engine.lookupAvailability(queries));
    // Complete messages, so that Connect's create() has nothing to copy; each slot_time is the request's own.
    return {
      $typeName: "booking.partner.v3.BatchAvailabilityLookupResponse",
      slotTimeAvailability: req.slotTime.map((slotTime, i) => ({
        $typeName: "booking.partner.v3.SlotTimeAvailability",
        slotTime,
        available: verdicts[i]?.bookable ?? false,
      })),
    };
  };
}
