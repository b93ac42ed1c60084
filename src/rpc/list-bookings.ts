import type { HandlerContext } from "@connectrpc/connect";
import type { ListBookingsRequest, ListBookingsResponse } from "../../gen/booking/partner/v3/booking_service_pb.js";
import type { BookingEngine } from "../booking/booking-engine.js";
import { withDomainErrors } from "../contract/booking-error-to-connect.js";
import { type AggregatorDirectory, aggregatorOf } from "../contract/caller-context.js";
import { invalidField } from "../contract/errors.js";
import { bookingToProto } from "./booking-to-proto.js";

/** ListBookings: every booking of the aggregator's user, oldest first, in every status. */
export function createListBookingsHandler(engine: BookingEngine, aggregators: AggregatorDirectory) {
  return async (req: ListBookingsRequest, ctx: HandlerContext): Promise<ListBookingsResponse> => {
    if (req.userId === "") throw invalidField("user_id", "is required");
    const caller = aggregatorOf(aggregators, ctx.values);
    const bookings = await withDomainErrors(() => engine.listBookings(caller, req.userId));
    return { $typeName: "booking.partner.v3.ListBookingsResponse", bookings: bookings.map(bookingToProto) };
  };
}
