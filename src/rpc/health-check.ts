import type { ServiceImpl } from "@connectrpc/connect";
import type { BookingService } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { rpcError } from "../contract/errors.js";

/** Tells whether the store can serve right now. */
export type HealthProbe = () => Promise<boolean>;

/** HealthCheck answers empty when the store is usable and UNAVAILABLE (HTTP 503) when it is not. */
export function createHealthCheckHandler(probe: HealthProbe): ServiceImpl<typeof BookingService>["healthCheck"] {
  return async () => {
    if (!(await probe())) {
      throw rpcError("DATABASE_UNAVAILABLE", "the booking store is not usable", { retryAfterSec: 5 });
    }
    return {};
  };
}
