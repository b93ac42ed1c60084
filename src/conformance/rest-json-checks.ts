import { ConfirmationMode, ConfirmationModeSchema } from "../../gen/booking/partner/v3/slot_pb.js";
import { takeSpot } from "./booking-steps.js";
import type { Check } from "./check.js";
import { expectHttpStatus, fail } from "./check-expect.js";
import type { FeedSlot } from "./feed-reader.js";

// The request a client built on a lowerCamelCase proto3 JSON printer would send: int64 as numbers.
function camelCaseRequest(slot: FeedSlot, userId: string, idempotencyToken: string) {
  const ids = {
    staffId: slot.staffId || undefined,
    roomId: slot.roomId || undefined,
    partySize: slot.partySize || undefined,
  };
  const resources = Object.values(ids).some((id) => id !== undefined) ? ids : undefined;
  return {
    slot: {
      merchantId: slot.merchantId,
      serviceId: slot.serviceId,
      startSec: slot.startSec,
      durationSec: slot.durationSec,
      availabilityTag: slot.availabilityTag || undefined,
      resources,
      confirmationMode:
        slot.confirmationMode === ConfirmationMode.UNSPECIFIED
          ? undefined
          : ConfirmationModeSchema.value[slot.confirmationMode]?.name,
    },
    userInformation: {
      userId,
      givenName: "Conformance",
      familyName: "Check",
      telephone: "+1 650-555-0100",
      email: `${userId}@example.com`,
    },
    paymentInformation: { prepaymentStatus: "PREPAYMENT_NOT_PROVIDED" },
    idempotencyToken,
  };
}

function camelCaseKeys(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => camelCaseKeys(item, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const at = path ? `${path}.${key}` : key;
    return [...(/[A-Z]/.test(key) ? [at] : []), ...camelCaseKeys(item, at)];
  });
}

const camelCaseAndInt64Numbers: Check = {
  name: "camel-case-and-int64-numbers",
  description:
    "REST: CreateBooking and ListBookings in lowerCamelCase with int64 as JSON numbers are accepted; answers use snake_case names and enum names.",
  needsFeed: true,
  async run(ctx) {
    const slot = takeSpot(ctx, "the lowerCamelCase booking");
    const userId = ctx.user("camel-case").userId;
    const json = camelCaseRequest(slot, userId, ctx.token("camel-case"));
    const response = await ctx.http.send({ method: "POST", path: "/v3/CreateBooking", json });
    ctx.ledger.recordJson(response.json);
    const what = "CreateBooking in lowerCamelCase with int64 as numbers";
    expectHttpStatus(response, 200, what);
    const camel = camelCaseKeys(response.json);
    if (camel.length > 0) {
      fail(
        `${what}: the answer uses lowerCamelCase names (${camel.join(", ")})`,
        "proto field names (snake_case)",
        response.exchange,
      );
    }
    const booking = (response.json as { booking?: Record<string, unknown> } | undefined)?.booking;
    const bookingId = booking?.booking_id;
    if (typeof bookingId !== "string" || !bookingId)
      fail(`${what} answered no booking.booking_id`, "a booking", response.exchange);
    if (booking?.status !== "CONFIRMED" && booking?.status !== "PENDING_MERCHANT_CONFIRMATION") {
      fail(
        `${what}: booking.status is ${JSON.stringify(booking?.status)}`,
        'the enum name, "CONFIRMED"',
        response.exchange,
      );
    }
    const start = (booking.slot as Record<string, unknown> | undefined)?.start_sec;
    if (String(start) !== String(slot.startSec)) {
      fail(`${what}: booking.slot.start_sec is ${JSON.stringify(start)}`, `"${slot.startSec}"`, response.exchange);
    }
    if (typeof start === "number") ctx.note("int64 fields come back as JSON numbers; proto3 JSON uses strings");
    const listed = await ctx.http.send({ method: "POST", path: "/v3/ListBookings", json: { userId } });
    expectHttpStatus(listed, 200, 'ListBookings with {"userId": ...}');
    const bookings = (listed.json as { bookings?: { booking_id?: unknown }[] } | undefined)?.bookings ?? [];
    if (!bookings.some((b) => b.booking_id === bookingId)) {
      fail(
        `ListBookings with {"userId": ...} does not list booking ${bookingId}`,
        `bookings including ${bookingId}`,
        listed.exchange,
      );
    }
  },
};

/** Checks of the REST JSON mapping that a proto-based client cannot exercise. */
export const restJsonChecks: readonly Check[] = [camelCaseAndInt64Numbers];
