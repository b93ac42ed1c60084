import type { HandlerContext } from "@connectrpc/connect";
import { type Booking, BookingStatus } from "../../gen/booking/partner/v3/booking_pb.js";
import type { UpdateBookingRequest, UpdateBookingResponse } from "../../gen/booking/partner/v3/booking_service_pb.js";
import type { BookingEngine } from "../booking/booking-engine.js";
import type { UpdateBookingInput } from "../booking/change-booking.js";
import { withDomainErrors } from "../contract/booking-error-to-connect.js";
import { type AggregatorDirectory, aggregatorOf } from "../contract/caller-context.js";
import { bookingToProto, failureToProto } from "./booking-to-proto.js";

/**
 * UpdateBooking: cancel (`status: CANCELED`), reschedule (`slot.start_sec` / `slot.duration_sec`) or
 * resize (`slot.resources.party_size`) one of the aggregator's bookings; answers the whole booking as it
 * now stands. Another aggregator's booking is BOOKING_NOT_FOUND, as an unknown one.
 */
export function createUpdateBookingHandler(engine: BookingEngine, aggregators: AggregatorDirectory) {
  return async (req: UpdateBookingRequest, ctx: HandlerContext): Promise<UpdateBookingResponse> => {
    const input = readUpdateBooking(req, aggregatorOf(aggregators, ctx.values));
    const outcome = await withDomainErrors(() => engine.updateBooking(input));
    if (outcome.kind === "failed") {
      return { $typeName: "booking.partner.v3.UpdateBookingResponse", bookingFailure: failureToProto(outcome.failure) };
    }
    return { $typeName: "booking.partner.v3.UpdateBookingResponse", booking: bookingToProto(outcome.booking) };
  };
}

/**
 * The engine's input. Validation has made sure the booking is there, names its id and carries a change:
 * status CANCELED, or a slot start, duration or party size (a change alongside a cancel is ignored).
 */
function readUpdateBooking(req: UpdateBookingRequest, caller: string): UpdateBookingInput {
  const booking = req.booking as Booking;
  const cancel = booking.status === BookingStatus.CANCELED;
  const input: UpdateBookingInput = { caller, bookingId: booking.bookingId, cancel };
  const slot = booking.slot;
  if (cancel || !slot) return input;
  if (slot.startSec !== 0n || slot.durationSec !== 0n) {
    input.reschedule = {
      ...(slot.startSec !== 0n ? { startSec: Number(slot.startSec) } : {}),
      ...(slot.durationSec !== 0n ? { durationSec: Number(slot.durationSec) } : {}),
    };
  }
  const partySize = slot.resources?.partySize ?? 0;
  if (partySize > 0) input.partySize = partySize;
  return input;
}
