import type { MessageInitShape } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import type {
  BatchAvailabilityLookupRequest,
  BatchAvailabilityLookupResponseSchema,
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
  ): Promise<MessageInitShape<typeof BatchAvailabilityLookupResponseSchema>> => {
    const queries = req.slotTime.map((slotTime) => slotTimeKeyOf(req.merchantId, slotTime));
    const verdicts = await withDomainErrors(() => engine.lookupAvailability(queries));
    return {
      slotTimeAvailability: req.slotTime.map((slotTime, i) => ({
        slotTime,
        available: verdicts[i]?.bookable ?? false,
      })),
    };
  };
}
