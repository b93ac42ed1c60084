import type { ServiceImpl } from "@connectrpc/connect";
import type { BookingService } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { rpcError } from "../contract/errors.js";

/** The handlers of BookingService, by their generated local names (`createBooking`, ...). */
export type BookingServiceImpl = ServiceImpl<typeof BookingService>;

const unimplemented = (name: string) => () => {
  throw rpcError("NOT_IMPLEMENTED", `${name} is not implemented by this server`);
};

/** Completes a partial set of handlers: every missing method answers UNIMPLEMENTED (HTTP 501). */
export function createBookingServiceImpl(handlers: Partial<BookingServiceImpl>): BookingServiceImpl {
  return {
    healthCheck: handlers.healthCheck ?? (() => ({})),
    batchAvailabilityLookup: handlers.batchAvailabilityLookup ?? unimplemented("BatchAvailabilityLookup"),
    checkAvailability: handlers.checkAvailability ?? unimplemented("CheckAvailability"),
    createBooking: handlers.createBooking ?? unimplemented("CreateBooking"),
    updateBooking: handlers.updateBooking ?? unimplemented("UpdateBooking"),
    getBookingStatus: handlers.getBookingStatus ?? unimplemented("GetBookingStatus"),
    listBookings: handlers.listBookings ?? unimplemented("ListBookings"),
  };
}
