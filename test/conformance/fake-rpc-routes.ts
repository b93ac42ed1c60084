import type { Message } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import { BookingService } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { dispatchFake, type FakeBookingCore } from "./fake-booking-core.js";

/**
 * Connect/gRPC routes for the fake's `booking.partner.v3.BookingService`, sharing the REST surface's
 * core, so the harness's Connect and gRPC clients can be exercised too.
 */
export function fakeRpcRoutes(
  core: FakeBookingCore,
  authorized: (header: string | null) => boolean,
  withoutCheckAvailability = false,
): (router: ConnectRouter) => void {
  const serve = (name: string) => (request: Message, ctx: HandlerContext) => {
    if (!authorized(ctx.requestHeader.get("authorization"))) {
      throw new ConnectError("missing or wrong credentials", Code.Unauthenticated);
    }
    const { message, replayed } = dispatchFake(core, name, request, withoutCheckAvailability);
    if (replayed) ctx.responseHeader.set("idempotent-replayed", "true");
    // dispatchFake returns the response type of the method it was named after.
    return message as never;
  };
  return (router) =>
    router.service(BookingService, {
      healthCheck: serve("HealthCheck"),
      batchAvailabilityLookup: serve("BatchAvailabilityLookup"),
      checkAvailability: serve("CheckAvailability"),
      createBooking: serve("CreateBooking"),
      updateBooking: serve("UpdateBooking"),
      getBookingStatus: serve("GetBookingStatus"),
      listBookings: serve("ListBookings"),
    });
}
