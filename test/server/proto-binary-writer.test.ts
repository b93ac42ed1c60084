import { create, toBinary } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BookingService, ListBookingsResponseSchema } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { deepFreeze } from "../../src/contract/deep-freeze.js";
import { createProtoBinaryWriter } from "../../src/server/proto-binary-writer.js";
import { contractMessages } from "../support/contract-messages.js";
import { randomMessage } from "../support/random-message.js";

const schemas = contractMessages;

describe("the protobuf binary writer", () => {
  const write = createProtoBinaryWriter();
  it.each(schemas.map((schema) => [schema.typeName, schema] as const))(
    "encodes %s exactly as toBinary does, after the reserved bytes",
    (_name, schema) => {
      fc.assert(
        fc.property(randomMessage(schema), fc.nat(5), (message, reserve) => {
          const out = write.encode(schema, message, reserve);
          expect(Buffer.from(out.subarray(reserve)).toString("hex")).toBe(
            Buffer.from(toBinary(schema, message)).toString("hex"),
          );
        }),
        { numRuns: 150 },
      );
    },
  );

  it("covers every response of BookingService, and writes each with generated code", () => {
    const names = new Set(schemas.map((s) => s.typeName));
    for (const method of BookingService.methods) {
      expect(names).toContain(method.output.typeName);
      expect(write.covers(method.output), method.output.typeName).toBe(true);
    }
  });

  it("leaves a message with a value not of its field's type to toBinary", () => {
    const wrongValue = create(ListBookingsResponseSchema, { bookings: [{ bookingId: "b" }] });
    (wrongValue.bookings[0] as { bookingId: unknown }).bookingId = 7;
    const expected = Buffer.from(toBinary(ListBookingsResponseSchema, wrongValue));
    expect(write.encode(ListBookingsResponseSchema, wrongValue).equals(expected)).toBe(true);
  });

  it("keeps the bytes of a frozen message and hands each call its own copy after the reserved bytes", () => {
    const init = { bookings: [{ bookingId: "b-1", slot: { merchantId: "m", startSec: 7n } }] };
    const frozen = deepFreeze(create(ListBookingsResponseSchema, init));
    const expected = Buffer.from(toBinary(ListBookingsResponseSchema, frozen));
    const first = write.encode(ListBookingsResponseSchema, frozen, 5);
    first.fill(0xff, 0, 5);
    const second = write.encode(ListBookingsResponseSchema, frozen, 5);
    expect(second).not.toBe(first);
    expect(first.subarray(5).equals(expected)).toBe(true);
    expect(second.subarray(5).equals(expected)).toBe(true);
    expect(write.encode(ListBookingsResponseSchema, frozen).equals(expected)).toBe(true);
    // The bytes are kept, not written again: a message frozen only on top (against the rule) shows it.
    const shallow = Object.freeze(create(ListBookingsResponseSchema, init));
    const kept = write.encode(ListBookingsResponseSchema, shallow);
    (shallow.bookings[0] as { bookingId: string }).bookingId = "b-2";
    expect(write.encode(ListBookingsResponseSchema, shallow).equals(kept)).toBe(true);
  });
});
