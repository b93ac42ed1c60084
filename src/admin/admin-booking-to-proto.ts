import type { MessageInitShape } from "@bufbuild/protobuf";
import type { BookingSchema } from "../../gen/booking/admin/v1/admin_service_pb.js";
import { BookingStatus } from "../../gen/booking/partner/v3/booking_pb.js";
import type { Booking } from "../booking/booking.js";
import { bookingEtag } from "../booking/etag.js";
import { prepaymentStatusToProto, userToProto } from "../rpc/booking-to-proto.js";

/** A booking as the admin API shows it: id, status and etag at the top level. */
export function adminBookingToProto(booking: Booking): MessageInitShape<typeof BookingSchema> {
  const { slot } = booking;
  return {
    bookingId: booking.bookingId,
    status: BookingStatus[booking.status],
    etag: bookingEtag(booking),
    merchantId: slot.merchantId,
    serviceId: slot.serviceId,
    startSec: BigInt(slot.startSec),
    durationSec: BigInt(slot.durationSec),
    staffId: slot.staffId,
    roomId: slot.roomId,
    partySize: slot.partySize,
    aggregator: booking.caller,
    userInformation: userToProto(booking.user),
    prepaymentStatus: prepaymentStatusToProto(booking.payment.prepayment),
    createTimeSec: BigInt(booking.createdSec),
    updateTimeSec: BigInt(booking.updatedSec),
  };
}
