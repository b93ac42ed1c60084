import type { HandlerContext } from "@connectrpc/connect";
import { BookingStatus } from "../../gen/booking/partner/v3/booking_pb.js";
import type {
  GetBookingStatusRequest,
  GetBookingStatusResponse,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import type { BookingEngine } from "../booking/booking-engine.js";
import { withDomainErrors } from "../contract/booking-error-to-connect.js";
import { type AggregatorDirectory, aggregatorOf } from "../contract/caller-context.js";
import { invalidField } from "../contract/errors.js";
import { prepaymentStatusToProto } from "./booking-to-proto.js";

/**
 * GetBookingStatus: the status and prepayment status of one of the aggregator's bookings; an unknown id,
 * or another aggregator's, is BOOKING_NOT_FOUND.
 */
export function createGetBookingStatusHandler(engine: BookingEngine, aggregators: AggregatorDirectory) {
  return async (req: GetBookingStatusRequest, ctx: HandlerContext): Promise<GetBookingStatusResponse> => {
    if (req.bookingId === "") throw invalidField("booking_id", "is required");
    const caller = aggregatorOf(aggregators, ctx.values);
    const booking = await withDomainErrors(() => engine.getBookingOf(caller, req.bookingId));
    return {
      $typeName: "booking.partner.v3.GetBookingStatusResponse",
      bookingId: booking.bookingId,
      bookingStatus: BookingStatus[booking.status],
      prepaymentStatus: prepaymentStatusToProto(booking.payment.prepayment),
    };
  };
}
