import type { MessageInitShape } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import { BookingStatus } from "../../gen/booking/partner/v3/booking_pb.js";
import type {
  UpdateBookingRequest,
  UpdateBookingResponseSchema,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import type { BookingEngine } from "../booking/booking-engine.js";
import type { UpdateBookingInput } from "../booking/change-booking.js";
import { withDomainErrors } from "../contract/booking-error-to-connect.js";
import { type AggregatorDirectory, aggregatorOf } from "../contract/caller-context.js";
import { invalidFields } from "../contract/errors.js";
import { bookingToProto, failureToProto } from "./booking-to-proto.js";
import { RequestFields } from "./request-fields.js";

/**
 * UpdateBooking: cancel (`status: CANCELED`), reschedule (`slot.start_sec` / `slot.duration_sec`) or
 * resize (`slot.resources.party_size`) one of the aggregator's bookings; answers the whole booking as it
 * now stands. Another aggregator's booking is BOOKING_NOT_FOUND, as an unknown one.
 */
export function createUpdateBookingHandler(engine: BookingEngine, aggregators: AggregatorDirectory) {
  return async (
    req: UpdateBookingRequest,
    ctx: HandlerContext,
  ): Promise<MessageInitShape<typeof UpdateBookingResponseSchema>> => {
    const input = readUpdateBooking(req, aggregatorOf(aggregators, ctx.values));
    const outcome = await withDomainErrors(() => engine.updateBooking(input));
    if (outcome.kind === "failed") return { bookingFailure: failureToProto(outcome.failure) };
    return { booking: bookingToProto(outcome.booking) };
  };
}

function readUpdateBooking(req: UpdateBookingRequest, caller: string): UpdateBookingInput {
  const fields = new RequestFields();
  const booking = req.booking;
  if (!booking) throw invalidFields([{ field: "booking", description: "is required" }]);
  const bookingId = fields.text(booking.bookingId, "booking.booking_id");
  const cancel = booking.status === BookingStatus.CANCELED;
  if (booking.status !== BookingStatus.BOOKING_STATUS_UNSPECIFIED && !cancel) {
    fields.violation("booking.status", "only CANCELED can be set; leave it unset to reschedule");
  }
  const input: UpdateBookingInput = { caller, bookingId, cancel };
  const slot = booking.slot;
  if (!cancel && slot) {
    const startSec = slot.startSec === 0n ? undefined : fields.seconds(slot.startSec, "booking.slot.start_sec", 1);
    const durationSec =
      slot.durationSec === 0n ? undefined : fields.seconds(slot.durationSec, "booking.slot.duration_sec", 1);
    if (startSec !== undefined || durationSec !== undefined) {
      input.reschedule = {
        ...(startSec !== undefined ? { startSec } : {}),
        ...(durationSec !== undefined ? { durationSec } : {}),
      };
    }
    const partySize = slot.resources?.partySize ?? 0;
    if (partySize < 0) fields.violation("booking.slot.resources.party_size", "must not be negative");
    else if (partySize > 0) input.partySize = partySize;
  }
  if (!cancel && !input.reschedule && input.partySize === undefined && fields.violations.length === 0) {
    fields.violation("booking", "names no change: set status CANCELED, slot start_sec/duration_sec or party_size");
  }
  if (fields.violations.length > 0) throw invalidFields(fields.violations);
  return input;
}
