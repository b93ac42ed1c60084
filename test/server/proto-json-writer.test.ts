import { create, toJson } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BookingService, ListBookingsResponseSchema } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { deepFreeze } from "../../src/contract/deep-freeze.js";
import { createProtoJsonWriter } from "../../src/server/proto-json-writer.js";
import { contractMessages } from "../support/contract-messages.js";
import { randomMessage } from "../support/random-message.js";

const schemas = contractMessages;

describe("the proto3 JSON writer", () => {
  for (const useProtoFieldName of [true, false]) {
    const write = createProtoJsonWriter({ useProtoFieldName });
    it.each(schemas.map((schema) => [schema.typeName, schema] as const))(
      `writes %s exactly as toJson and JSON.stringify do (useProtoFieldName: ${useProtoFieldName})`,
      (_name, schema) => {
        fc.assert(
          fc.property(randomMessage(schema), (message) => {
            expect(write(schema, message)).toBe(JSON.stringify(toJson(schema, message, { useProtoFieldName })));
          }),
          { numRuns: 150 },
        );
      },
    );
  }

  it("covers every response of BookingService", () => {
    const names = new Set(schemas.map((s) => s.typeName));
    for (const method of BookingService.methods) expect(names).toContain(method.output.typeName);
  });

  it("leaves a message whose values are not of their field's type to toJson, which refuses it", () => {
    const write = createProtoJsonWriter({ useProtoFieldName: true });
    const foreign = { $typeName: "someone.Else", bookings: [] } as never;
    expect(() => toJson(ListBookingsResponseSchema, foreign)).toThrow(/cannot use/);
    expect(() => write(ListBookingsResponseSchema, foreign)).toThrow(/cannot use/);
    const wrongValue = create(ListBookingsResponseSchema, { bookings: [{ bookingId: "b" }] });
    (wrongValue.bookings[0] as { bookingId: unknown }).bookingId = 7;
    expect(() => toJson(ListBookingsResponseSchema, wrongValue)).toThrow(/booking_id/);
    expect(() => write(ListBookingsResponseSchema, wrongValue)).toThrow(/booking_id/);
  });

  it("writes 64-bit integers on both sides of the safe range exactly", () => {
    const write = createProtoJsonWriter({ useProtoFieldName: true });
    const safe = BigInt(Number.MAX_SAFE_INTEGER);
    for (const startSec of [0n, 1n, -1n, safe, safe + 1n, safe + 2n, -safe, -safe - 2n, 2n ** 63n - 1n, -(2n ** 63n)]) {
      const message = create(ListBookingsResponseSchema, { bookings: [{ slot: { startSec } }] });
      expect(write(ListBookingsResponseSchema, message)).toBe(
        JSON.stringify(toJson(ListBookingsResponseSchema, message, { useProtoFieldName: true })),
      );
    }
  });

  it("writes a message that is not frozen afresh each time, so a change shows", () => {
    const write = createProtoJsonWriter({ useProtoFieldName: true });
    const message = create(ListBookingsResponseSchema, { bookings: [{ bookingId: "b-1" }] });
    expect(write(ListBookingsResponseSchema, message)).toBe('{"bookings":[{"booking_id":"b-1"}]}');
    (message.bookings[0] as { bookingId: string }).bookingId = "b-2";
    expect(write(ListBookingsResponseSchema, message)).toBe('{"bookings":[{"booking_id":"b-2"}]}');
  });

  it("keeps the text of a frozen message: the same string, equal to toJson's, for every write of it", () => {
    const write = createProtoJsonWriter({ useProtoFieldName: true });
    const init = { bookings: [{ bookingId: "b-1", slot: { merchantId: "m", startSec: 7n } }] };
    const frozen = deepFreeze(create(ListBookingsResponseSchema, init));
    const first = write(ListBookingsResponseSchema, frozen);
    expect(first).toBe(JSON.stringify(toJson(ListBookingsResponseSchema, frozen, { useProtoFieldName: true })));
    expect(write(ListBookingsResponseSchema, frozen)).toBe(first);
    // The text is kept, not written again: a message frozen only on top (against the rule) shows it.
    const shallow = Object.freeze(create(ListBookingsResponseSchema, init));
    const kept = write(ListBookingsResponseSchema, shallow);
    (shallow.bookings[0] as { bookingId: string }).bookingId = "b-2";
    expect(write(ListBookingsResponseSchema, shallow)).toBe(kept);
    // An equal message that is another object is written on its own.
    const twin = create(ListBookingsResponseSchema, init);
    (twin.bookings[0] as { bookingId: string }).bookingId = "b-9";
    expect(write(ListBookingsResponseSchema, twin)).toContain('"booking_id":"b-9"');
  });

  it("freezes a message all through, so a kept text cannot go stale", () => {
    const frozen = deepFreeze(
      create(ListBookingsResponseSchema, { bookings: [{ bookingId: "b-1", slot: { merchantId: "m" } }] }),
    );
    const [booking] = frozen.bookings;
    expect(Object.isFrozen(frozen.bookings)).toBe(true);
    expect(() => {
      (booking?.slot as { merchantId: string }).merchantId = "other";
    }).toThrow(TypeError);
    expect(() => (frozen.bookings as unknown[]).push({})).toThrow(TypeError);
  });
});
