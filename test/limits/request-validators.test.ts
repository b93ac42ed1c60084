import { create, fromJson } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  BatchAvailabilityLookupRequestSchema,
  CheckAvailabilityRequestSchema,
  CreateBookingRequestSchema,
  GetBookingStatusRequestSchema,
  ListBookingsRequestSchema,
  UpdateBookingRequestSchema,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import { validateRequest } from "../../src/rpc/validation/validate-request.js";
import { defaultValidationLimits } from "../../src/rpc/validation/validation-limits.js";

const limits = defaultValidationLimits;
const user = {
  user_id: "123456789",
  given_name: "Jane",
  family_name: "Doe",
  telephone: "+1 415-736-0000",
  email: "jane@example.com",
};
const slot = { merchant_id: "1234", service_id: "1234", start_sec: "1606467600", duration_sec: "1800" };
const createJson = (overrides: Record<string, unknown> = {}) => ({
  slot,
  user_information: user,
  idempotency_token: "18307119013960637991",
  ...overrides,
});
const create_ = (json: object) => fromJson(CreateBookingRequestSchema, json as never);
const fieldsOf = (method: string, message: unknown) =>
  validateRequest(method, message, limits)?.violations.map((v) => v.field) ?? [];

describe("request validators", () => {
  it("accept every request shaped as Google's samples", () => {
    const samples: [string, unknown][] = [
      [
        "CreateBooking",
        create_(
          createJson({
            slot: { ...slot, resources: { staff_id: "s1", room_id: "r1", party_size: 2 } },
            user_information: { ...user, address: { country: "US", postal_code: "94043" }, language_code: "en-US" },
            payment_information: { prepayment_status: "PREPAYMENT_NOT_PROVIDED" },
            additional_request: "window seat\nnear the door",
            offer_id: "offer-1",
          }),
        ),
      ],
      ["UpdateBooking", fromJson(UpdateBookingRequestSchema, { booking: { booking_id: "890", status: "CANCELED" } })],
      [
        "UpdateBooking",
        fromJson(UpdateBookingRequestSchema, {
          booking: { booking_id: "890", slot: { start_sec: "1606473000", duration_sec: "1800" } },
        }),
      ],
      [
        "UpdateBooking",
        fromJson(UpdateBookingRequestSchema, {
          booking: { booking_id: "890", slot: { resources: { party_size: 4 } } },
        }),
      ],
      [
        "BatchAvailabilityLookup",
        fromJson(BatchAvailabilityLookupRequestSchema, {
          merchant_id: "1234",
          slot_time: [{ service_id: "1000", start_sec: "1606467600", duration_sec: "3600" }],
        }),
      ],
      [
        "CheckAvailability",
        fromJson(CheckAvailabilityRequestSchema, {
          slot: { merchant_id: "1", service_id: "2", start_sec: "1606467600" },
        }),
      ],
      ["GetBookingStatus", fromJson(GetBookingStatusRequestSchema, { booking_id: "890" })],
      ["ListBookings", fromJson(ListBookingsRequestSchema, { user_id: "123456789" })],
      ["HealthCheck", {}],
    ];
    for (const [method, message] of samples) expect(validateRequest(method, message, limits), method).toBeUndefined();
  });

  it("report every missing required field of CreateBooking at once, by snake_case path", () => {
    expect(fieldsOf("CreateBooking", create(CreateBookingRequestSchema))).toEqual([
      "slot",
      "user_information",
      "idempotency_token",
    ]);
    expect(fieldsOf("CreateBooking", create_({ slot: {}, user_information: {} }))).toEqual([
      "slot.merchant_id",
      "slot.service_id",
      "slot.start_sec",
      "slot.duration_sec",
      "user_information.user_id",
      "user_information.given_name",
      "user_information.family_name",
      "user_information.telephone",
      "user_information.email",
      "idempotency_token",
    ]);
  });

  it("bound names at 40 characters (counted as characters, not UTF-16 units), ids and tokens at 256", () => {
    const named = (given_name: string) =>
      fieldsOf("CreateBooking", create_(createJson({ user_information: { ...user, given_name } })));
    expect(named("J".repeat(40))).toEqual([]);
    expect(named("😀".repeat(40))).toEqual([]);
    expect(named("J".repeat(41))).toEqual(["user_information.given_name"]);
    expect(named("Jane\u0000")).toEqual(["user_information.given_name"]);
    expect(fieldsOf("CreateBooking", create_(createJson({ idempotency_token: "t".repeat(257) })))).toEqual([
      "idempotency_token",
    ]);
    expect(fieldsOf("CreateBooking", create_(createJson({ additional_request: "x".repeat(2001) })))).toEqual([
      "additional_request",
    ]);
    expect(
      fieldsOf("GetBookingStatus", fromJson(GetBookingStatusRequestSchema, { booking_id: "b".repeat(257) })),
    ).toEqual(["booking_id"]);
  });

  it("keep times between 2000 and 2100, durations within seven days, party sizes from 1 to 1000", () => {
    const withSlot = (changes: Record<string, unknown>) =>
      fieldsOf("CreateBooking", create_(createJson({ slot: { ...slot, ...changes } })));
    expect(withSlot({ start_sec: "946684800" })).toEqual([]);
    expect(withSlot({ start_sec: "946684799" })).toEqual(["slot.start_sec"]);
    expect(withSlot({ start_sec: "4102444800" })).toEqual(["slot.start_sec"]);
    expect(withSlot({ start_sec: "-5" })).toEqual(["slot.start_sec"]);
    expect(withSlot({ duration_sec: "604800" })).toEqual([]);
    expect(withSlot({ duration_sec: "604801" })).toEqual(["slot.duration_sec"]);
    expect(withSlot({ duration_sec: "-1" })).toEqual(["slot.duration_sec"]);
    expect(withSlot({ duration_sec: "0" })).toEqual(["slot.duration_sec"]);
    expect(withSlot({ resources: { party_size: 0 } })).toEqual([]);
    expect(withSlot({ resources: { party_size: -1 } })).toEqual(["slot.resources.party_size"]);
    expect(withSlot({ resources: { party_size: 1001 } })).toEqual(["slot.resources.party_size"]);
  });

  it.each([
    ["jane@example.com", true],
    ["jane.doe+tag@mail.example.co.uk", true],
    ["jane", false],
    ["jane@", false],
    ["@example.com", false],
    ["jane doe@example.com", false],
    ["jane@example", false],
  ])("take %s as an e-mail address: %s", (email, ok) => {
    const fields = fieldsOf("CreateBooking", create_(createJson({ user_information: { ...user, email } })));
    expect(fields).toEqual(ok ? [] : ["user_information.email"]);
  });

  it.each([
    ["+1 415-736-0000", true],
    ["(415) 736.0000", true],
    ["+44 20 7946 0958", true],
    ["12345", true],
    ["1234", false],
    ["123456789012345678901", false],
    ["+1 415 CALL-NOW", false],
    ["1+2345678", false],
  ])("take %s as a telephone number: %s", (telephone, ok) => {
    const fields = fieldsOf("CreateBooking", create_(createJson({ user_information: { ...user, telephone } })));
    expect(fields).toEqual(ok ? [] : ["user_information.telephone"]);
  });

  it("never quote a refused value in a description", () => {
    const pii = {
      user_id: "user-of-the-test",
      given_name: "Bartholomew-Maximilian-Fitzgerald-Wolfeschlegel",
      family_name: "Z\u0007",
      telephone: "call me maybe 555",
      email: "bartholomew at example dot com",
    };
    const failure = validateRequest("CreateBooking", create_(createJson({ user_information: pii })), limits);
    expect(failure?.violations.map((v) => v.field)).toEqual([
      "user_information.given_name",
      "user_information.family_name",
      "user_information.telephone",
      "user_information.email",
    ]);
    for (const violation of failure?.violations ?? []) {
      for (const value of Object.values(pii)) expect(violation.description).not.toContain(value);
    }
  });

  it("want UpdateBooking to name a booking and carry a change Google sends", () => {
    const update = (booking: object) =>
      fieldsOf("UpdateBooking", fromJson(UpdateBookingRequestSchema, { booking } as never));
    expect(fieldsOf("UpdateBooking", create(UpdateBookingRequestSchema))).toEqual(["booking"]);
    expect(update({ booking_id: "890" })).toEqual(["booking"]);
    expect(update({ status: "CANCELED" })).toEqual(["booking.booking_id"]);
    const unknownStatus = create(UpdateBookingRequestSchema, { booking: { bookingId: "890", status: 99 as never } });
    expect(fieldsOf("UpdateBooking", unknownStatus)).toEqual(["booking.status"]);
    expect(update({ booking_id: "890", status: "CONFIRMED" })).toEqual(["booking.status"]);
  });

  it("want a lookup to name its merchant and list slot times with service and start, each by index", () => {
    const lookup = (json: object) =>
      fieldsOf("BatchAvailabilityLookup", fromJson(BatchAvailabilityLookupRequestSchema, json as never));
    expect(lookup({ merchant_id: "m" })).toEqual(["slot_time"]);
    const good = { service_id: "s", start_sec: "1606467600" };
    expect(lookup({ merchant_id: "m", slot_time: [good, good, good, { start_sec: "1606467600" }] })).toEqual([
      "slot_time[3].service_id",
    ]);
    expect(lookup({ slot_time: [{ service_id: "s" }] })).toEqual(["merchant_id", "slot_time[0].start_sec"]);
  });

  it("refuse a lookup over the slot_time limit as TOO_MANY_SLOTS, and accept one at the limit", () => {
    const lookup = (count: number) =>
      create(BatchAvailabilityLookupRequestSchema, {
        merchantId: "m",
        slotTime: Array.from({ length: count }, () => ({ serviceId: "s", startSec: 1606467600n })),
      });
    expect(validateRequest("BatchAvailabilityLookup", lookup(5), { maxSlotTimes: 5 })).toBeUndefined();
    expect(validateRequest("BatchAvailabilityLookup", lookup(6), { maxSlotTimes: 5 })).toEqual({
      reason: "TOO_MANY_SLOTS",
      violations: [{ field: "slot_time", description: "lists 6 slot times; at most 5 are accepted per request" }],
    });
  });

  it("report at most a hundred violations and say how many more there were", () => {
    const lookup = create(BatchAvailabilityLookupRequestSchema, {
      merchantId: "m",
      slotTime: Array.from({ length: 200 }, () => ({})),
    });
    const violations = validateRequest("BatchAvailabilityLookup", lookup, limits)?.violations ?? [];
    expect(violations).toHaveLength(101);
    expect(violations[100]).toEqual({ field: "", description: "and 300 more violations" });
  });
});
