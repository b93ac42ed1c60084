import type { MessageInitShape } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import type {
  RescheduleBookingRequest,
  RescheduleBookingResponseSchema,
} from "../../gen/booking/admin/v1/admin_service_pb.js";
import type { MerchantBookings } from "../booking/merchant-bookings.js";
import { withDomainErrors } from "../contract/booking-error-to-connect.js";
import { invalidFields } from "../contract/errors.js";
import { adminBookingToProto } from "./admin-booking-to-proto.js";
import { readChange } from "./booking-changes.js";
import { RequestFields } from "./request-fields.js";

/** RescheduleBooking: moves a booking to another start, duration or party size of its service. */
export function createRescheduleBookingHandler(bookings: MerchantBookings) {
  return async (
    req: RescheduleBookingRequest,
    ctx: HandlerContext,
  ): Promise<MessageInitShape<typeof RescheduleBookingResponseSchema>> => {
    const change = readChange(req, ctx);
    const fields = new RequestFields();
    const startSec = fields.seconds(req.startSec, "start_sec", 1);
    const durationSec = req.durationSec === 0n ? undefined : fields.seconds(req.durationSec, "duration_sec", 1);
    if (req.partySize < 0) fields.violation("party_size", "must not be negative");
    if (fields.violations.length > 0) throw invalidFields(fields.violations);
    const booking = await withDomainErrors(() =>
      bookings.reschedule({
        ...change,
        startSec,
        ...(durationSec !== undefined ? { durationSec } : {}),
        ...(req.partySize > 0 ? { partySize: req.partySize } : {}),
      }),
    );
    return { booking: adminBookingToProto(booking) };
  };
}
