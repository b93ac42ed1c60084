import { createHash } from "node:crypto";
import { clone, toBinary } from "@bufbuild/protobuf";
import {
  type CreateBookingRequest,
  CreateBookingRequestSchema,
} from "../../gen/booking/partner/v3/booking_service_pb.js";

/**
 * The canonical hash of a CreateBooking request without its idempotency token: sha256 of its binary
 * encoding, which protobuf-es writes in field-number order. Unknown fields are left out and the one map
 * is sorted, so the same request hashes the same on every protocol.
 */
export function createBookingFingerprint(request: CreateBookingRequest): string {
  const canonical = clone(CreateBookingRequestSchema, request);
  canonical.idempotencyToken = "";
  const tokenization = canonical.paymentProcessingParameters?.tokenizationConfig;
  if (tokenization) {
    const entries = Object.entries(tokenization.tokenizationParameter).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    tokenization.tokenizationParameter = Object.fromEntries(entries);
  }
  const bytes = toBinary(CreateBookingRequestSchema, canonical, { writeUnknownFields: false });
  return createHash("sha256").update(bytes).digest("hex");
}
