import { type DescMessage, fromJson, type JsonValue, toJson } from "@bufbuild/protobuf";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createProtoJsonReader } from "../../src/server/proto-json-reader.js";
import { contractMessages } from "../support/contract-messages.js";
import { randomMessage } from "../support/random-message.js";

const schemas = contractMessages;

const options = { ignoreUnknownFields: true };

/** fromJson's answer, or the fact that it refused. */
function generic(schema: DescMessage, json: JsonValue) {
  try {
    return { message: fromJson(schema, json, options) };
  } catch {
    return { refused: true };
  }
}

const anyJson = fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>;

/** A JSON object with one value, at any depth, replaced by `value` (or a key added, or a name changed). */
function mutate(json: JsonValue, path: number[], value: JsonValue, rename: boolean): JsonValue {
  if (json === null || typeof json !== "object") return value;
  const keys = Object.keys(json);
  if (keys.length === 0) return Array.isArray(json) ? [value] : { extra: value };
  const key = keys[(path[0] ?? 0) % keys.length] as string;
  const copy: { [key: string]: JsonValue } = Array.isArray(json) ? ({ ...json } as never) : { ...json };
  const inner = mutate((json as { [key: string]: JsonValue })[key] as JsonValue, path.slice(1), value, rename);
  if (rename && !Array.isArray(json)) copy[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = inner;
  else copy[key] = inner;
  return Array.isArray(json) ? Object.values(copy) : copy;
}

/** The JSON with every string value that is a safe decimal integer as a number, as some clients send int64. */
function withIntsAsNumbers(json: JsonValue): JsonValue {
  if (typeof json === "string") return /^-?\d{1,15}$/.test(json) ? Number(json) : json;
  if (json === null || typeof json !== "object") return json;
  if (Array.isArray(json)) return json.map(withIntsAsNumbers);
  return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, withIntsAsNumbers(v as JsonValue)]));
}

describe("the proto3 JSON reader", () => {
  const read = createProtoJsonReader();
  it.each(schemas.map((schema) => [schema.typeName, schema] as const))(
    "reads %s as fromJson does, or leaves it to fromJson",
    (_name, schema) => {
      fc.assert(
        fc.property(
          randomMessage(schema),
          fc.boolean(),
          fc.boolean(),
          fc.option(fc.tuple(fc.array(fc.nat(), { maxLength: 4 }), anyJson, fc.boolean()), { freq: 2 }),
          (message, useProtoFieldName, intsAsNumbers, mutation) => {
            let json = toJson(schema, message, { useProtoFieldName });
            if (intsAsNumbers) json = withIntsAsNumbers(json);
            if (mutation) json = mutate(json, ...mutation);
            const fast = read(schema, json);
            const expected = generic(schema, json);
            if (fast !== undefined) expect({ message: fast }).toStrictEqual(expected);
            if (!mutation && !intsAsNumbers) expect(expected.refused).toBeUndefined();
          },
        ),
        { numRuns: 150 },
      );
    },
  );

  it("reads a BatchAvailabilityLookup request as clients send it, without fromJson", () => {
    const [schema] = schemas.filter((s) => s.typeName.endsWith("BatchAvailabilityLookupRequest"));
    const json = {
      merchant_id: "m-1",
      slot_time: [
        {
          service_id: "s",
          start_sec: "1900086400",
          duration_sec: 1800,
          confirmation_mode: "CONFIRMATION_MODE_SYNCHRONOUS",
        },
      ],
    };
    const message = read(schema as DescMessage, json);
    expect(message).toEqual(fromJson(schema as DescMessage, json));
  });
});
