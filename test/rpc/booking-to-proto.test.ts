import { create, equals, toBinary, toJsonString } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BookingFailureSchema, BookingSchema } from "../../gen/booking/partner/v3/booking_pb.js";
import { ListBookingsResponseSchema } from "../../gen/booking/partner/v3/booking_service_pb.js";
import type { Booking, UserInfo } from "../../src/booking/booking.js";
import type { BookingFailure, FailureCause } from "../../src/booking/booking-failure.js";
import type { InventorySlot } from "../../src/booking/inventory.js";
import { bookingToProto, failureToProto } from "../../src/rpc/booking-to-proto.js";
import { bookingInit, failureInit } from "./booking-init-reference.js";

const text = fc.oneof(fc.constant(""), fc.string(), fc.string({ unit: "grapheme" }));
const count = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2 ** 31 - 1 }));

const slot: fc.Arbitrary<InventorySlot> = fc.record({
  slotId: fc.nat(),
  merchantId: text,
  serviceId: text,
  startSec: fc.oneof(fc.constant(0), fc.maxSafeNat()),
  durationSec: fc.oneof(fc.constant(0), fc.nat()),
  staffId: text,
  roomId: text,
  partySize: count,
  spotsTotal: fc.nat(),
  spotsExternal: fc.nat(),
  spotsBooked: fc.nat(),
  confirmationMode: fc.constantFrom("UNSPECIFIED", "SYNCHRONOUS", "ASYNCHRONOUS"),
  availabilityTag: text,
  inFeed: fc.boolean(),
});

// Rows written before a part of the user existed read without it: such users are part of the input space.
const user = fc.record(
  {
    userId: text,
    givenName: text,
    familyName: text,
    telephone: text,
    email: text,
    languageCode: text,
    address: fc.record(
      { country: text, locality: text, region: text, postalCode: text, streetAddress: text },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ["userId"] },
) as fc.Arbitrary<UserInfo>;

const booking: fc.Arbitrary<Booking> = fc.record(
  {
    bookingId: text,
    caller: text,
    slot,
    user,
    status: fc.constantFrom(
      "CONFIRMED",
      "PENDING_MERCHANT_CONFIRMATION",
      "CANCELED",
      "NO_SHOW",
      "NO_SHOW_PENALIZED",
      "FAILED",
      "DECLINED_BY_MERCHANT",
    ),
    payment: fc.record(
      {
        prepayment: fc.constantFrom("NOT_PROVIDED", "PROVIDED", "REFUNDED"),
        transactionId: text,
        price: fc.record({
          priceMicros: fc.oneof(fc.constant(0), fc.maxSafeInteger()),
          currencyCode: text,
        }),
      },
      { requiredKeys: ["prepayment", "transactionId"] },
    ),
    createdSec: fc.nat(),
    updatedSec: fc.nat(),
    version: fc.nat(),
  },
  { requiredKeys: ["bookingId", "caller", "slot", "user", "status", "payment", "createdSec", "updatedSec", "version"] },
);

const failure: fc.Arbitrary<BookingFailure> = fc.record(
  {
    cause: fc.constantFrom<FailureCause>(
      "SLOT_UNAVAILABLE",
      "SLOT_ALREADY_BOOKED_BY_USER",
      "OUTSIDE_CANCELLATION_WINDOW",
      "PAYMENT_ERROR_CARD_TYPE_REJECTED",
      "BOOKING_ALREADY_CANCELLED",
      "USER_OVER_BOOKING_LIMIT",
    ),
    description: text,
    rejectedCardType: fc.constantFrom("VISA", "MASTERCARD", "AMERICAN_EXPRESS", "DISCOVER", "JCB", "UNKNOWN_BRAND", ""),
  },
  { requiredKeys: ["cause", "description"] },
);

describe("contract messages built from domain values", () => {
  it("are the messages create() makes of the init shapes, and encode to the same JSON and binary", () => {
    fc.assert(
      fc.property(fc.array(booking, { maxLength: 4 }), (bookings) => {
        for (const b of bookings) {
          const built = bookingToProto(b);
          const reference = create(BookingSchema, bookingInit(b));
          expect(equals(BookingSchema, built, reference)).toBe(true);
          // Field for field, nested messages included: nothing create() would still have to fill in.
          expect(built).toStrictEqual(reference);
        }
        const built = { $typeName: ListBookingsResponseSchema.typeName, bookings: bookings.map(bookingToProto) };
        const reference = create(ListBookingsResponseSchema, { bookings: bookings.map(bookingInit) });
        expect(create(ListBookingsResponseSchema, built)).toBe(built);
        expect(toBinary(ListBookingsResponseSchema, built)).toEqual(toBinary(ListBookingsResponseSchema, reference));
        for (const options of [{}, { useProtoFieldName: true }]) {
          expect(toJsonString(ListBookingsResponseSchema, built, options)).toBe(
            toJsonString(ListBookingsResponseSchema, reference, options),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it("build booking failures as create() does, with the rejected card type only when it is a known one", () => {
    fc.assert(
      fc.property(failure, (f) => {
        const built = failureToProto(f);
        const reference = create(BookingFailureSchema, failureInit(f));
        expect(equals(BookingFailureSchema, built, reference)).toBe(true);
        expect(built).toStrictEqual(reference);
        expect(toBinary(BookingFailureSchema, built)).toEqual(toBinary(BookingFailureSchema, reference));
        expect(toJsonString(BookingFailureSchema, built)).toBe(toJsonString(BookingFailureSchema, reference));
      }),
    );
  });
});
