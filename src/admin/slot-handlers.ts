import type { HandlerContext } from "@connectrpc/connect";
import type {
  DeleteSlotsRequest,
  ListSlotsRequest,
  ReplaceServiceAvailabilityRequest,
  UpsertSlotsRequest,
} from "../../gen/booking/admin/v1/admin_service_pb.js";
import type { Clock } from "../booking/clock.js";
import type { MerchantInventory } from "../booking/merchant-inventory.js";
import { withDomainErrors } from "../contract/booking-error-to-connect.js";
import { invalidField, invalidFields } from "../contract/errors.js";
import { adminActor } from "./admin-actor.js";
import type { AdminServiceImpl } from "./admin-service-impl.js";
import { adminSlotToProto, readSlotRemoval, readSlotUpsert } from "./admin-slot-to-proto.js";
import { decodeKeysetToken, encodeKeysetToken } from "./keyset-token.js";
import { pageSizeOf } from "./page-size.js";
import { RequestFields } from "./request-fields.js";

/** A request changes at most this many slots, so one transaction stays short. */
export const maxSlotsPerChange = 5000;

/** ListSlots, UpsertSlots, ReplaceServiceAvailability and DeleteSlots over the merchant's inventory. */
export function createSlotHandlers(
  inventory: MerchantInventory,
  clock: Clock,
): Pick<AdminServiceImpl, "listSlots" | "upsertSlots" | "replaceServiceAvailability" | "deleteSlots"> {
  return {
    async listSlots(req: ListSlotsRequest) {
      const fields = new RequestFields();
      const merchantId = fields.text(req.merchantId, "merchant_id");
      const fromSec = req.startSecMin === 0n ? undefined : fields.seconds(req.startSecMin, "start_sec_min", 1);
      const toSec = req.startSecMax === 0n ? undefined : fields.seconds(req.startSecMax, "start_sec_max", 1);
      if (fields.violations.length > 0) throw invalidFields(fields.violations);
      const limit = pageSizeOf(req.pageSize);
      const filter = JSON.stringify([
        merchantId,
        req.serviceId,
        fromSec ?? 0,
        toSec ?? 0,
        ...(req.availableOnly ? [1] : []),
      ]);
      const [afterStart, afterId, ...extra] = req.pageToken ? decodeKeysetToken(req.pageToken, filter) : [];
      if (req.pageToken && (typeof afterStart !== "number" || typeof afterId !== "number" || extra.length > 0)) {
        throw invalidField("page_token", "is not a token this server issued");
      }
      const query = {
        merchantId,
        ...(req.serviceId ? { serviceId: req.serviceId } : {}),
        ...(fromSec !== undefined ? { fromSec } : {}),
        ...(toSec !== undefined ? { toSec } : {}),
        ...(typeof afterStart === "number" && typeof afterId === "number"
          ? { after: { startSec: afterStart, slotId: afterId } }
          : {}),
        limit,
      };
      // available_only judges the page the store read, so the token continues after the last slot read,
      // shown or not.
      const judged = await withDomainErrors(() =>
        req.availableOnly
          ? inventory.listJudgedSlots(query)
          : inventory.listSlots(query).then((slots) => slots.map((slot) => ({ slot, bookable: true }))),
      );
      const last = judged.length === limit ? judged[judged.length - 1]?.slot : undefined;
      return {
        slots: judged.flatMap(({ slot, bookable }) => (bookable ? [adminSlotToProto(slot)] : [])),
        nextPageToken: last ? encodeKeysetToken({ filter, after: [last.startSec, last.slotId] }) : "",
      };
    },
    async upsertSlots(req: UpsertSlotsRequest, ctx: HandlerContext) {
      const fields = new RequestFields();
      checkCount(req.slots.length, "slots");
      const slots = req.slots.map((slot, i) => readSlotUpsert(slot, `slots[${i}]`, fields));
      slots.forEach((slot, i) => {
        if (slot.startSec > 0 && slot.startSec <= clock.nowSec()) {
          fields.violation(`slots[${i}].start_sec`, "must be in the future");
        }
      });
      if (fields.violations.length > 0) throw invalidFields(fields.violations);
      const saved = await withDomainErrors(() => inventory.upsertSlots(slots, adminActor(ctx)));
      return { slots: saved.map(adminSlotToProto) };
    },
    async replaceServiceAvailability(req: ReplaceServiceAvailabilityRequest, ctx: HandlerContext) {
      const fields = new RequestFields();
      const merchantId = fields.text(req.merchantId, "merchant_id");
      const serviceId = fields.text(req.serviceId, "service_id");
      const fromSec = fields.seconds(req.startSecMin, "start_sec_min", 0);
      const toSec =
        req.startSecMax === 0n ? Number.MAX_SAFE_INTEGER : fields.seconds(req.startSecMax, "start_sec_max", 1);
      if (toSec <= fromSec) fields.violation("start_sec_max", "must be after start_sec_min (0 for no bound)");
      checkCount(req.slots.length, "slots");
      const slots = req.slots.map((slot, i) => {
        const field = `slots[${i}]`;
        const read = readSlotUpsert(
          { ...slot, merchantId: slot.merchantId || merchantId, serviceId: slot.serviceId || serviceId },
          field,
          fields,
        );
        if (slot.merchantId !== "" && slot.merchantId !== merchantId) {
          fields.violation(`${field}.merchant_id`, "must be the request's merchant_id");
        }
        if (slot.serviceId !== "" && slot.serviceId !== serviceId) {
          fields.violation(`${field}.service_id`, "must be the request's service_id");
        }
        if (read.startSec > 0 && (read.startSec < fromSec || read.startSec >= toSec)) {
          fields.violation(`${field}.start_sec`, "must be within [start_sec_min, start_sec_max)");
        }
        return read;
      });
      if (fields.violations.length > 0) throw invalidFields(fields.violations);
      return withDomainErrors(() =>
        inventory.replaceServiceAvailability({ merchantId, serviceId, fromSec, toSec, slots }, adminActor(ctx)),
      );
    },
    async deleteSlots(req: DeleteSlotsRequest, ctx: HandlerContext) {
      const fields = new RequestFields();
      checkCount(req.slots.length, "slots");
      const slots = req.slots.map((slot, i) => readSlotRemoval(slot, `slots[${i}]`, fields));
      if (fields.violations.length > 0) throw invalidFields(fields.violations);
      return withDomainErrors(() => inventory.deleteSlots(slots, adminActor(ctx)));
    },
  };
}

function checkCount(count: number, field: string): void {
  if (count > maxSlotsPerChange) throw invalidField(field, `must hold at most ${maxSlotsPerChange} slots`);
}
