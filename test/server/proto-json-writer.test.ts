import { create, type DescMessage, toJson } from "@bufbuild/protobuf";
import { nestedTypes } from "@bufbuild/protobuf/reflect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { file_booking_admin_v1_admin_service } from "../../gen/booking/admin/v1/admin_service_pb.js";
import {
  BookingService,
  file_booking_partner_v3_booking_service,
  ListBookingsResponseSchema,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import { createProtoJsonWriter } from "../../src/server/proto-json-writer.js";
import { randomMessage } from "../support/random-message.js";

// Every message type of the partner and admin contracts, found by walking the files: a message added
// to a proto is checked here without a change to this test.
const schemas = [file_booking_partner_v3_booking_service, file_booking_admin_v1_admin_service].flatMap((file) => [
  ...new Map(
    [file, ...file.dependencies]
      .flatMap((f) => [...nestedTypes(f)])
      .filter((t): t is DescMessage => t.kind === "message" && !t.typeName.startsWith("google."))
      .map((t) => [t.typeName, t]),
  ).values(),
]);

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
});
