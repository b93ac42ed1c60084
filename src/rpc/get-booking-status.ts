import type { MessageInitShape } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import { BookingStatus } from "../../gen/booking/partner/v3/booking_pb.js";
import type {
  GetBookingStatusRequest,
  GetBookingStatusResponseSchema,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import type { BookingEngine } from "../booking/booking-engine.js";
import { withDomainErrors } from "./booking-error-to-connect.js";
import { prepaymentStatusToProto } from "./booking-to-proto.js";
import { invalidField } from "./errors.js";

/** GetBookingStatus: the status and prepayment status of one booking; an unknown id is BOOKING_NOT_FOUND. */
export function createGetBookingStatusHandler(engine: BookingEngine) {
  return async (
    req: GetBookingStatusRequest,
    _ctx: HandlerContext,
  ): Promise<MessageInitShape<typeof GetBookingStatusResponseSchema>> => {
    if (req.bookingId === "") throw invalidField("booking_id", "is required");
    const booking = await withDomainErrors(() => engine.getBooking(req.bookingId));
    return {
      bookingId: booking.bookingId,
      bookingStatus: BookingStatus[booking.status],
      prepaymentStatus: prepaymentStatusToProto(booking.payment.prepayment),
    };
  };
}
