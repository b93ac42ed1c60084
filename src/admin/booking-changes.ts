import type { MessageInitShape } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import type { BookingSchema } from "../../gen/booking/admin/v1/admin_service_pb.js";
import type { Booking } from "../booking/booking.js";
import type { MerchantBookings } from "../booking/merchant-bookings.js";
import type { MerchantChange } from "../booking/merchant-changes.js";
import { withDomainErrors } from "../contract/booking-error-to-connect.js";
import { invalidFields } from "../contract/errors.js";
import { adminActor } from "./admin-actor.js";
import { adminBookingToProto } from "./admin-booking-to-proto.js";
import { RequestFields } from "./request-fields.js";

/** The fields every booking change request has. */
interface ChangeRequest {
  bookingId: string;
  etag: string;
  reason?: string;
}

/**
 * A handler for one merchant-side booking change (cancel, confirm, decline, no-show): reads the id,
 * etag and reason, runs the change as the admin caller, and answers the booking as it now stands.
 */
export function createBookingChangeHandler<R extends ChangeRequest>(
  run: (bookings: MerchantBookings, change: MerchantChange, req: R) => Promise<Booking>,
  bookings: MerchantBookings,
) {
  return async (req: R, ctx: HandlerContext): Promise<{ booking: MessageInitShape<typeof BookingSchema> }> => {
    const change = readChange(req, ctx);
    const booking = await withDomainErrors(() => run(bookings, change, req));
    return { booking: adminBookingToProto(booking) };
  };
}

/** The validated common part of a change request. */
export function readChange(req: ChangeRequest, ctx: HandlerContext): MerchantChange {
  const fields = new RequestFields();
  const bookingId = fields.text(req.bookingId, "booking_id");
  if (fields.violations.length > 0) throw invalidFields(fields.violations);
  return { bookingId, etag: req.etag, actor: adminActor(ctx), ...(req.reason ? { reason: req.reason } : {}) };
}
