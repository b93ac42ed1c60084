import type { HandlerContext } from "@connectrpc/connect";
import type { ListBookingsRequest, ListBookingsResponse } from "../../gen/booking/partner/v3/booking_service_pb.js";
import type { ListedBooking } from "../booking/booking.js";
import type { BookingEngine } from "../booking/booking-engine.js";
import { withDomainErrors } from "../contract/booking-error-to-connect.js";
import { type AggregatorDirectory, aggregatorOf } from "../contract/caller-context.js";
import { deepFreeze } from "../contract/deep-freeze.js";
import { invalidField } from "../contract/errors.js";
import { bookingToProto } from "./booking-to-proto.js";

/** ListBookings: every booking of the aggregator's user, oldest first, in every status. */
export function createListBookingsHandler(engine: BookingEngine, aggregators: AggregatorDirectory) {
  // A listing the store answers from its cache is the same frozen array until the user's bookings
  // change; its response is built once and frozen, so the REST answer's text is written once too.
  const responses = new WeakMap<readonly ListedBooking[], ListBookingsResponse>();
  return async (req: ListBookingsRequest, ctx: HandlerContext): Promise<ListBookingsResponse> => {
    if (req.userId === "") throw invalidField("user_id", "is required");
    const caller = aggregatorOf(aggregators, ctx.values);
    const bookings = await withDomainErrors(() => engine.listBookings(caller, req.userId));
    if (!Object.isFrozen(bookings)) return responseOf(bookings);
    let response = responses.get(bookings);
    if (!response) {
      response = deepFreeze(responseOf(bookings));
      responses.set(bookings, response);
    }
    return response;
  };
}

function responseOf(bookings: readonly ListedBooking[]): ListBookingsResponse {
  return { $typeName: "booking.partner.v3.ListBookingsResponse", bookings: bookings.map(bookingToProto) };
}
