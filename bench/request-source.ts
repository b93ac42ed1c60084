import { create, type DescMethodUnary, type Message } from "@bufbuild/protobuf";
import { BookingStatus } from "../gen/booking/partner/v3/booking_pb.js";
import { BookingService } from "../gen/booking/partner/v3/booking_service_pb.js";
import {
  type BenchInventory,
  benchServiceId,
  listUserOf,
  merchantIdOf,
  seededPrefix,
  slotAt,
  slotStartOf,
} from "./bench-inventory.js";

/** The kinds of request a load worker can generate. */
export type RequestKind =
  | "health"
  | "create-fresh"
  | "create-replay"
  | "cancel"
  | "get-status"
  | "batch-lookup"
  | "list-bookings";

/** Everything a worker needs to generate the same requests as any other process would. */
export interface RequestPlan {
  kind: RequestKind;
  inventory: BenchInventory;
  /** Unique per measured row, so idempotency tokens and users never collide across rows or runs. */
  tag: string;
  /** SlotTimes per BatchAvailabilityLookup. */
  slotTimes?: number;
  /** The slice of a seeded pool this row may use (cancel pool, list bookings, list users). */
  poolStart?: number;
  poolSize?: number;
}

/** Generates the i-th request of a plan. */
export interface RequestSource {
  method: DescMethodUnary;
  /** True when every request is the same message, so encodings can be computed once. */
  constant: boolean;
  /** True when responses can carry a booking_failure that counts as an error. */
  canFail: boolean;
  next(i: number): Message;
}

const methodNames: Record<RequestKind, string> = {
  health: "HealthCheck",
  "create-fresh": "CreateBooking",
  "create-replay": "CreateBooking",
  cancel: "UpdateBooking",
  "get-status": "GetBookingStatus",
  "batch-lookup": "BatchAvailabilityLookup",
  "list-bookings": "ListBookings",
};

/** The RPC name a request kind calls. */
export function methodNameOf(kind: RequestKind): string {
  return methodNames[kind];
}

/** Creates the request generator of a plan; the same plan yields the same requests in every process. */
export function createRequestSource(plan: RequestPlan): RequestSource {
  const name = methodNames[plan.kind];
  const method = BookingService.methods.find((m) => m.name === name) as DescMethodUnary | undefined;
  if (!method) throw new Error(`no unary method ${name}`);
  const inv = plan.inventory;
  const poolStart = plan.poolStart ?? 0;
  const poolSize = Math.max(1, plan.poolSize ?? 1);
  const build = (init: object): Message => create(method.input, init as never);
  const createBooking = (i: number) => {
    // Spread consecutive bookings over merchants and slots, as independent users would.
    const { merchant, slot } = slotAt(inv, i * 101 + hashOf(plan.tag));
    return build({
      slot: {
        merchantId: merchantIdOf(merchant),
        serviceId: benchServiceId,
        startSec: BigInt(slotStartOf(inv, slot)),
        durationSec: BigInt(inv.durationSec),
      },
      userInformation: {
        userId: `u-${plan.tag}-${i}`,
        givenName: "Bench",
        familyName: "User",
        email: `u${i}@example.com`,
        telephone: "+15550100",
        languageCode: "en",
      },
      idempotencyToken: `${plan.tag}-${i}`,
    });
  };
  const next: (i: number) => Message = (() => {
    switch (plan.kind) {
      case "health":
        return () => build({});
      case "create-fresh":
        return createBooking;
      case "create-replay":
        return () => createBooking(0);
      case "cancel":
        return (i) =>
          build({
            booking: {
              bookingId: `${seededPrefix.cancel}${poolStart + (i % poolSize)}`,
              status: BookingStatus.CANCELED,
            },
          });
      case "get-status":
        return (i) => build({ bookingId: `${seededPrefix.list}${poolStart + ((i * 7919) % poolSize)}` });
      case "list-bookings":
        return (i) => build({ userId: listUserOf(poolStart + (i % poolSize)) });
      case "batch-lookup":
        return (i) => batchLookup(build, inv, plan.slotTimes ?? 1, i);
    }
  })();
  const constant = plan.kind === "health" || plan.kind === "create-replay";
  const canFail = plan.kind === "create-fresh" || plan.kind === "create-replay" || plan.kind === "cancel";
  return { method, constant, canFail, next };
}

function batchLookup(build: (init: object) => Message, inv: BenchInventory, count: number, i: number): Message {
  const n = Math.min(count, inv.slotsPerMerchant);
  const first = (i * 37) % (inv.slotsPerMerchant - n + 1);
  const slotTime = [];
  for (let s = first; s < first + n; s++) {
    slotTime.push({
      serviceId: benchServiceId,
      startSec: BigInt(slotStartOf(inv, s)),
      durationSec: BigInt(inv.durationSec),
    });
  }
  return build({ merchantId: merchantIdOf(i % inv.merchants), slotTime });
}

function hashOf(text: string): number {
  let h = 0;
  for (let k = 0; k < text.length; k++) h = (h * 31 + text.charCodeAt(k)) >>> 0;
  return h % 1_000_003;
}
