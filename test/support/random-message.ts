import { create, type DescField, type DescMessage, type MessageShape, ScalarType } from "@bufbuild/protobuf";
import fc from "fast-check";

/**
 * Random messages of any schema, built by walking its descriptor: every field of every nested type is
 * set or left unset at random, with values that include the edge cases of proto3 JSON (zero values,
 * negative and 64-bit integers, quotes, control characters and astral code points in strings, enum
 * numbers the schema does not name, NaN and -0). A field added to a proto is covered without a change here.
 */
export function randomMessage<Desc extends DescMessage>(schema: Desc, depth = 3): fc.Arbitrary<MessageShape<Desc>> {
  return initOf(schema, depth).map((init) => create(schema, init as never));
}

function initOf(desc: DescMessage, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const entries: Record<string, fc.Arbitrary<unknown>> = {};
  const oneofs = new Map<string, DescField[]>();
  for (const field of desc.fields) {
    if (field.oneof) {
      oneofs.set(field.oneof.localName, [...(oneofs.get(field.oneof.localName) ?? []), field]);
      continue;
    }
    const value = fieldValue(field, depth);
    if (value) entries[field.localName] = value;
  }
  for (const [name, fields] of oneofs) {
    const cases = fields.flatMap((field) => {
      const value = singular(field, depth);
      return value ? [value.map((v) => ({ case: field.localName, value: v }))] : [];
    });
    if (cases.length > 0) entries[name] = fc.oneof(...cases);
  }
  return fc.record(entries, { requiredKeys: [] });
}

function fieldValue(field: DescField, depth: number): fc.Arbitrary<unknown> | undefined {
  if (field.fieldKind === "list") {
    const item = singular(field, depth);
    return item && fc.array(item, { maxLength: depth > 1 ? 4 : 1 });
  }
  if (field.fieldKind === "map") {
    const value = singular(field, depth);
    return value && fc.dictionary(fc.string({ maxLength: 4 }), value, { maxKeys: 2 });
  }
  return singular(field, depth);
}

function singular(field: DescField, depth: number): fc.Arbitrary<unknown> | undefined {
  const kind =
    field.fieldKind === "list" ? field.listKind : field.fieldKind === "map" ? field.mapKind : field.fieldKind;
  if (kind === "message") {
    const message = field.message as DescMessage;
    if (depth <= 0) return undefined;
    if (message.typeName.startsWith("google.protobuf.")) return undefined;
    return initOf(message, depth - 1);
  }
  if (kind === "enum") {
    const known = (field.enum as NonNullable<DescField["enum"]>).values.map((v) => v.number);
    return fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...known) },
      { weight: 1, arbitrary: fc.integer({ min: -5, max: 99 }) },
    );
  }
  return scalar(field.scalar as ScalarType);
}

const text = fc.oneof(
  fc.constantFrom("", "merchant-1", 'quo"te\\', "\u0000\u001f\u2028", "😀 émoji", "__proto__"),
  fc.string({ unit: "binary", maxLength: 12 }),
);

function scalar(type: ScalarType): fc.Arbitrary<unknown> {
  switch (type) {
    case ScalarType.STRING:
      return text;
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.BYTES:
      return fc.uint8Array({ maxLength: 6 });
    case ScalarType.FLOAT:
      return fc.float().map(Math.fround);
    case ScalarType.DOUBLE:
      return fc.double();
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return fc.oneof(fc.constant(0n), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 32 - 1 }));
    default:
      return fc.oneof(fc.constant(0), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));
  }
}
