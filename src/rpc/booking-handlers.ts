import type { BookingEngine } from "../booking/booking-engine.js";
import type { AggregatorDirectory } from "../contract/caller-context.js";
import { createBatchAvailabilityLookupHandler } from "./batch-availability-lookup.js";
import type { BookingServiceImpl } from "./booking-service-impl.js";
import { createCheckAvailabilityHandler } from "./check-availability.js";
import { createCreateBookingHandler } from "./create-booking.js";
import { createGetBookingStatusHandler } from "./get-booking-status.js";
import { createListBookingsHandler } from "./list-bookings.js";
import { createUpdateBookingHandler } from "./update-booking.js";

/** What the booking handlers are built from. */
export interface BookingHandlerDeps {
  engine: BookingEngine;
  /** Which aggregator each credential user acts for; every booking RPC is scoped to it. */
  aggregators: AggregatorDirectory;
}

/** The six booking RPCs of BookingService (everything but HealthCheck), over one engine. */
export function createBookingHandlers(deps: BookingHandlerDeps): Omit<BookingServiceImpl, "healthCheck"> {
  return {
    batchAvailabilityLookup: createBatchAvailabilityLookupHandler(deps.engine),
    checkAvailability: createCheckAvailabilityHandler(deps.engine),
    createBooking: createCreateBookingHandler(deps.engine, deps.aggregators),
    updateBooking: createUpdateBookingHandler(deps.engine, deps.aggregators),
    getBookingStatus: createGetBookingStatusHandler(deps.engine, deps.aggregators),
    listBookings: createListBookingsHandler(deps.engine, deps.aggregators),
  };
}
