import { type DescMessage, fromBinary, fromJson, toJson } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { describe, expect, it } from "vitest";
import { BookingFailure_Cause, BookingStatus } from "../../gen/booking/partner/v3/booking_pb.js";
import {
  BatchAvailabilityLookupRequestSchema,
  BatchAvailabilityLookupResponseSchema,
  CheckAvailabilityRequestSchema,
  CreateBookingRequestSchema,
  CreateBookingResponseSchema,
  GetBookingStatusRequestSchema,
  GetBookingStatusResponseSchema,
  ListBookingsRequestSchema,
  UpdateBookingRequestSchema,
  UpdateBookingResponseSchema,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import { PrepaymentStatus } from "../../gen/booking/partner/v3/payment_pb.js";

// Request bodies shaped as Google sends them: snake_case, int64 as strings, enums by name.
const googleRequests: [DescMessage, object][] = [
  [
    CreateBookingRequestSchema,
    {
      slot: {
        merchant_id: "1234",
        service_id: "1234",
        start_sec: "1606467600",
        duration_sec: "1800",
        availability_tag: "tag-1",
        resources: { staff_id: "s1", room_id: "r1", party_size: 2 },
        confirmation_mode: "CONFIRMATION_MODE_SYNCHRONOUS",
      },
      user_information: {
        user_id: "123456789",
        given_name: "Jane",
        family_name: "Doe",
        telephone: "+1 415-736-0000",
        email: "jane@example.com",
        address: {
          country: "US",
          locality: "Mountain View",
          region: "CA",
          postal_code: "94043",
          street_address: "1600 Amphitheatre Pkwy",
        },
      },
      payment_information: { prepayment_status: "PREPAYMENT_NOT_PROVIDED" },
      idempotency_token: "18307119013960637991",
      additional_request: "window seat",
      offer_id: "offer-1",
    },
  ],
  [UpdateBookingRequestSchema, { booking: { booking_id: "890", status: "CANCELED" } }],
  [
    UpdateBookingRequestSchema,
    { booking: { booking_id: "890", slot: { start_sec: "1606473000", duration_sec: "1800" } } },
  ],
  [UpdateBookingRequestSchema, { booking: { booking_id: "890", slot: { resources: { party_size: 4 } } } }],
  [
    BatchAvailabilityLookupRequestSchema,
    {
      merchant_id: "1234",
      slot_time: [
        {
          service_id: "1000",
          start_sec: "1606467600",
          duration_sec: "3600",
          availability_tag: "t",
          resource_ids: { room_id: "A" },
        },
        { service_id: "1001", start_sec: "1606467600", confirmation_mode: "CONFIRMATION_MODE_ASYNCHRONOUS" },
      ],
    },
  ],
  [
    CheckAvailabilityRequestSchema,
    { slot: { merchant_id: "1", service_id: "2", start_sec: "1606467600", duration_sec: "60" } },
  ],
  [GetBookingStatusRequestSchema, { booking_id: "890" }],
  [ListBookingsRequestSchema, { user_id: "123456789" }],
];

describe("wire compatibility with Google's Booking Server v3", () => {
  it("parses every Google-shaped request and serialises it back to the same JSON", () => {
    for (const [schema, json] of googleRequests) {
      const message = fromJson(schema, json as never);
      expect(toJson(schema, message, { useProtoFieldName: true }), schema.typeName).toEqual(json);
    }
  });

  it("serialises responses the way Google's samples show them", () => {
    const booking = {
      booking_id: "890",
      slot: { merchant_id: "1234", service_id: "1234", start_sec: "1606467600", duration_sec: "1800" },
      user_information: {
        user_id: "123456789",
        given_name: "Jane",
        family_name: "Doe",
        telephone: "+1 415-736-0000",
        email: "jane@example.com",
      },
      status: "CONFIRMED",
      payment_information: { prepayment_status: "PREPAYMENT_NOT_PROVIDED" },
    };
    const samples: [DescMessage, object][] = [
      [CreateBookingResponseSchema, { booking }],
      [CreateBookingResponseSchema, { booking_failure: { cause: "SLOT_UNAVAILABLE", description: "full" } }],
      [UpdateBookingResponseSchema, { booking: { ...booking, status: "CANCELED" } }],
      [
        GetBookingStatusResponseSchema,
        { booking_id: "890", booking_status: "CONFIRMED", prepayment_status: "PREPAYMENT_PROVIDED" },
      ],
      [
        BatchAvailabilityLookupResponseSchema,
        {
          slot_time_availability: [
            { slot_time: { start_sec: "1606467600", duration_sec: "3600", service_id: "1000" }, available: true },
          ],
        },
      ],
    ];
    for (const [schema, json] of samples) {
      const message = fromJson(schema, json as never);
      expect(JSON.stringify(toJson(schema, message, { useProtoFieldName: true }))).toBe(JSON.stringify(json));
    }
  });

  it("decodes a CreateBookingRequest encoded from Google's field numbers alone", () => {
    const slot = new BinaryWriter()
      .tag(1, WireType.LengthDelimited)
      .string("m1") // merchant_id
      .tag(2, WireType.LengthDelimited)
      .string("s1") // service_id
      .tag(3, WireType.Varint)
      .int64(1606467600n) // start_sec
      .tag(4, WireType.Varint)
      .int64(1800n) // duration_sec
      .tag(7, WireType.Varint)
      .int32(2) // confirmation_mode = ASYNCHRONOUS
      .finish();
    const user = new BinaryWriter()
      .tag(1, WireType.LengthDelimited)
      .string("u1") // user_id
      .tag(6, WireType.LengthDelimited)
      .string("a@b.c") // email
      .finish();
    const request = new BinaryWriter()
      .tag(1, WireType.LengthDelimited)
      .bytes(slot)
      .tag(3, WireType.LengthDelimited)
      .bytes(user)
      .tag(6, WireType.LengthDelimited)
      .string("tok") // idempotency_token
      .tag(9, WireType.LengthDelimited)
      .string("offer") // offer_id
      .finish();
    const decoded = fromBinary(CreateBookingRequestSchema, request);
    expect(decoded.slot?.merchantId).toBe("m1");
    expect(decoded.slot?.serviceId).toBe("s1");
    expect(decoded.slot?.startSec).toBe(1606467600n);
    expect(decoded.slot?.durationSec).toBe(1800n);
    expect(decoded.slot?.confirmationMode).toBe(2);
    expect(decoded.userInformation?.userId).toBe("u1");
    expect(decoded.userInformation?.email).toBe("a@b.c");
    expect(decoded.idempotencyToken).toBe("tok");
    expect(decoded.offerId).toBe("offer");
  });

  it("decodes responses and enums by Google's numbers", () => {
    const failure = new BinaryWriter().tag(1, WireType.Varint).int32(12).finish(); // cause
    const response = new BinaryWriter().tag(3, WireType.LengthDelimited).bytes(failure).finish(); // booking_failure
    expect(fromBinary(CreateBookingResponseSchema, response).bookingFailure?.cause).toBe(
      BookingFailure_Cause.OVERLAPPING_RESERVATION,
    );
    const status = new BinaryWriter()
      .tag(1, WireType.LengthDelimited)
      .string("b")
      .tag(2, WireType.Varint)
      .int32(3) // booking_status CANCELED
      .tag(3, WireType.Varint)
      .int32(3) // prepayment_status REFUNDED
      .finish();
    const decoded = fromBinary(GetBookingStatusResponseSchema, status);
    expect(decoded.bookingStatus).toBe(BookingStatus.CANCELED);
    expect(decoded.prepaymentStatus).toBe(PrepaymentStatus.PREPAYMENT_REFUNDED);
  });
});
