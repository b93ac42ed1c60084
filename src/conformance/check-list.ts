import { availabilityChecks } from "./availability-checks.js";
import { bookingChecks } from "./booking-checks.js";
import { capacityChecks } from "./capacity-checks.js";
import type { Check } from "./check.js";
import { idempotencyChecks } from "./idempotency-checks.js";
import { restJsonChecks } from "./rest-json-checks.js";
import { transportChecks } from "./transport-checks.js";

/**
 * Every check in run order: transport rules and lookups before anything is booked, then the booking
 * lifecycle, then the idempotency and capacity rules.
 */
export const allChecks: readonly Check[] = [
  ...transportChecks,
  ...availabilityChecks,
  ...restJsonChecks,
  ...bookingChecks,
  ...idempotencyChecks,
  ...capacityChecks,
];

/** The checks named in `only` (all when empty), in run order. */
export function selectChecks(only: readonly string[]): Check[] {
  return only.length === 0 ? [...allChecks] : allChecks.filter((check) => only.includes(check.name));
}
