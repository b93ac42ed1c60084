import type { ResourceIds, Slot, SlotTime } from "../../gen/booking/partner/v3/slot_pb.js";
import type { SlotKey } from "../booking/inventory.js";
import type { FieldViolation } from "../contract/errors.js";

/** Collects the field violations of one request, so a client learns every problem at once. */
export class RequestFields {
  readonly violations: FieldViolation[] = [];

  violation(field: string, description: string): undefined {
    this.violations.push({ field, description });
    return undefined;
  }

  /** A required non-empty string. */
  text(value: string, field: string): string {
    if (value === "") this.violation(field, "is required");
    return value;
  }

  /** An int64 that must be at least `min` (and fit a JavaScript number exactly). */
  seconds(value: bigint, field: string, min: number): number {
    if (value < BigInt(min)) {
      this.violation(field, min > 0 ? `must be greater than ${min - 1}` : `must be at least ${min}`);
      return 0;
    }
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      this.violation(field, "is out of range");
      return 0;
    }
    return Number(value);
  }

  resources(resources: ResourceIds | undefined, field: string): Pick<SlotKey, "staffId" | "roomId" | "partySize"> {
    const partySize = resources?.partySize ?? 0;
    if (partySize < 0) this.violation(`${field}.party_size`, "must not be negative");
    return { staffId: resources?.staffId ?? "", roomId: resources?.roomId ?? "", partySize: Math.max(0, partySize) };
  }

  /** A Slot naming one slot: merchant, service, start and (when required) duration. */
  slot(slot: Slot | undefined, field: string, options: { durationRequired: boolean }): SlotKey {
    if (!slot) {
      this.violation(field, "is required");
      return { merchantId: "", serviceId: "", startSec: 0, durationSec: 0, staffId: "", roomId: "", partySize: 0 };
    }
    return {
      merchantId: this.text(slot.merchantId, `${field}.merchant_id`),
      serviceId: this.text(slot.serviceId, `${field}.service_id`),
      startSec: this.seconds(slot.startSec, `${field}.start_sec`, 1),
      durationSec: this.seconds(slot.durationSec, `${field}.duration_sec`, options.durationRequired ? 1 : 0),
      ...this.resources(slot.resources, `${field}.resources`),
    };
  }

  /** A SlotTime of a BatchAvailabilityLookup, under the request's merchant; duration 0 matches any. */
  slotTime(merchantId: string, slotTime: SlotTime, field: string): SlotKey {
    return {
      merchantId,
      serviceId: this.text(slotTime.serviceId, `${field}.service_id`),
      startSec: this.seconds(slotTime.startSec, `${field}.start_sec`, 1),
      durationSec: this.seconds(slotTime.durationSec, `${field}.duration_sec`, 0),
      ...this.resources(slotTime.resourceIds, `${field}.resource_ids`),
    };
  }
}
