import { create, type DescField, type DescMessage, type MessageShape, ScalarType } from "@bufbuild/protobuf";

/**
 * Reads a parsed proto3-JSON request (the value `JSON.parse` gave) as a message in one pass, for the
 * plain form clients send: each field once, strings as strings, integers as integers, 64-bit integers
 * as decimal strings or safe integers, enums by name, objects and lists where the schema has them.
 * Anything else (null, a field under both its names, enum numbers, floats, bytes, maps, oneofs,
 * well-known types) makes it answer `undefined`, and the caller decodes with `fromJson`, which also
 * words the errors. Where it answers, the message equals what
 * `fromJson(schema, json, { ignoreUnknownFields: true })` gives (a property test holds it to that).
 *
 * The reader of each message type is generated from its descriptor on first use (`new Function`, so
 * that each field is a `case` of its own and a literal property store; see `proto-json-writer.ts`).
 * The generated source holds only names from descriptors, never request data.
 */
export type ProtoJsonReader = <Desc extends DescMessage>(schema: Desc, json: unknown) => MessageShape<Desc> | undefined;

type MessageReader = (json: unknown, depth: number) => object | undefined;

/** Deeper JSON than this is left to fromJson, which enforces its own recursion limit. */
const maxDepth = 32;

/** A decimal int64 that BigInt reads exactly as protobuf-es's parser does: no sign tricks, no padding. */
const int64Text = /^-?(0|[1-9][0-9]{0,17})$/;
const uint64Text = /^(0|[1-9][0-9]{0,18})$/;

/** Creates a reader; it keeps the readers it generated, by message type. */
export function createProtoJsonReader(): ProtoJsonReader {
  const readers = new Map<string, MessageReader>();

  function readerOf(desc: DescMessage): MessageReader {
    const known = readers.get(desc.typeName);
    if (known) return known;
    let compiled: MessageReader = (json, depth) => compiled(json, depth);
    readers.set(desc.typeName, (json, depth) => compiled(json, depth));
    compiled = generate(desc) ?? (() => undefined);
    readers.set(desc.typeName, compiled);
    return compiled;
  }

  function generate(desc: DescMessage): MessageReader | undefined {
    if (desc.typeName.startsWith("google.protobuf.")) return undefined;
    const refs: unknown[] = [zeroMessageFactory(desc)];
    const ref = (value: unknown): string => `refs[${refs.push(value) - 1}]`;
    let cases = "";
    let flags = "";
    for (const [index, field] of desc.fields.entries()) {
      const convert = fieldSource(field, ref);
      if (convert === undefined) return undefined;
      const names = [...new Set([field.name, field.jsonName])].map((n) => `case ${JSON.stringify(n)}:`).join(" ");
      flags += `let seen${index} = false;\n`;
      cases += `${names} {
  if (seen${index}) return undefined;
  seen${index} = true;
  ${convert}
  break;
}\n`;
    }
    const source = `return function (j, depth) {
if (j === null || typeof j !== "object" || Array.isArray(j) || depth > ${maxDepth}) return undefined;
const m = refs[0]();
${flags}const keys = Object.keys(j);
for (let k = 0; k < keys.length; k++) {
  const v = j[keys[k]];
  switch (keys[k]) {
${cases}  }
}
return m;
};`;
    return new Function("refs", "int64Text", "uint64Text", source)(refs, int64Text, uint64Text) as MessageReader;
  }

  /** Statements that store `v` into `m`, or return undefined when `v` is not in the plain form. */
  function fieldSource(field: DescField, ref: (value: unknown) => string): string | undefined {
    const target = `m[${JSON.stringify(field.localName)}]`;
    if (field.oneof || field.fieldKind === "map") return undefined;
    if (field.fieldKind === "list") {
      const item = valueSource(field, field.listKind, "v[i]", "x", ref);
      if (item === undefined) return undefined;
      return `if (!Array.isArray(v)) return undefined;
  const list = new Array(v.length);
  for (let i = 0; i < v.length; i++) { let x; ${item} list[i] = x; }
  ${target} = list;`;
    }
    const value = valueSource(field, field.fieldKind, "v", "x", ref);
    if (value === undefined) return undefined;
    return `{ let x; ${value} ${target} = x; }`;
  }

  /** Statements that set `out` from `v`, or return undefined. */
  function valueSource(
    field: DescField,
    kind: "scalar" | "enum" | "message",
    v: string,
    out: string,
    ref: (value: unknown) => string,
  ): string | undefined {
    if (kind === "message") {
      const desc = field.message as DescMessage;
      if (desc.typeName.startsWith("google.protobuf.")) return undefined;
      // Looked up at the first call, so a type that refers to itself, directly or not, is generated once.
      let resolved: MessageReader | undefined;
      const nested = ref((json: unknown, depth: number) => {
        resolved ??= readerOf(desc);
        return resolved(json, depth);
      });
      return `${out} = ${nested}(${v}, depth + 1); if (${out} === undefined) return undefined;`;
    }
    if (kind === "enum") {
      const descEnum = field.enum;
      if (descEnum === undefined || descEnum.typeName.startsWith("google.protobuf.")) return undefined;
      const numbers = ref(new Map(descEnum.values.map((e) => [e.name, e.number])));
      return `${out} = typeof ${v} === "string" ? ${numbers}.get(${v}) : undefined; if (${out} === undefined) return undefined;`;
    }
    if (field.scalar === undefined) return undefined;
    switch (field.scalar) {
      case ScalarType.STRING:
        return `if (typeof ${v} !== "string") return undefined; ${out} = ${v};`;
      case ScalarType.BOOL:
        return `if (typeof ${v} !== "boolean") return undefined; ${out} = ${v};`;
      case ScalarType.INT32:
      case ScalarType.SINT32:
      case ScalarType.SFIXED32:
        return `if (!Number.isInteger(${v}) || ${v} < -2147483648 || ${v} > 2147483647 || Object.is(${v}, -0)) return undefined; ${out} = ${v};`;
      case ScalarType.UINT32:
      case ScalarType.FIXED32:
        return `if (!Number.isInteger(${v}) || ${v} < 0 || ${v} > 4294967295 || Object.is(${v}, -0)) return undefined; ${out} = ${v};`;
      case ScalarType.INT64:
      case ScalarType.SINT64:
      case ScalarType.SFIXED64:
      case ScalarType.UINT64:
      case ScalarType.FIXED64: {
        // int64 fields declared with jstype = JS_STRING hold strings; fromJson reads those.
        if ((field as { longAsString?: boolean }).longAsString) return undefined;
        const signed = field.scalar !== ScalarType.UINT64 && field.scalar !== ScalarType.FIXED64;
        const text = signed ? "int64Text" : "uint64Text";
        const range = signed ? "" : ` && ${v} >= 0`;
        // Up to 15 characters a decimal is exact as a double, which BigInt converts faster than text.
        return `if (typeof ${v} === "string" && ${text}.test(${v})) ${out} = ${v}.length < 16 ? BigInt(+${v}) : BigInt(${v});
  else if (Number.isSafeInteger(${v})${range} && !Object.is(${v}, -0)) ${out} = BigInt(${v});
  else return undefined;`;
      }
      default:
        // floats and bytes have textual forms of their own; fromJson reads them.
        return undefined;
    }
  }

  return (schema, json) => readerOf(schema)(json, 0) as MessageShape<typeof schema> | undefined;
}

/**
 * A function answering what `create(desc)` answers, as one object literal: the same own properties in
 * the same order with the same zero values, at a tenth of the cost. A type whose zero message is not
 * a plain object of such values (proto2 defaults live on a prototype) keeps `create`.
 */
function zeroMessageFactory(desc: DescMessage): () => object {
  const template = create(desc) as Record<string, unknown>;
  const viaCreate = (): object => create(desc);
  if (Object.getPrototypeOf(template) !== Object.prototype) return viaCreate;
  const entries: string[] = [];
  for (const key of Object.keys(template)) {
    const value = zeroLiteral(template[key]);
    if (value === undefined) return viaCreate;
    entries.push(`${JSON.stringify(key)}: ${value}`);
  }
  return new Function(`return function () { return { ${entries.join(", ")} }; };`)() as () => object;
}

/** The source of a zero value `create` puts in a fresh message, or undefined for anything else. */
function zeroLiteral(value: unknown): string | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      return Object.is(value, -0) || !Number.isFinite(value) ? undefined : String(value);
    case "bigint":
      return `${value}n`;
    case "object": {
      if (Array.isArray(value)) return value.length === 0 ? "[]" : undefined;
      if (value === null || Object.getPrototypeOf(value) !== Object.prototype) return undefined;
      const keys = Object.keys(value);
      if (keys.length === 0) return "{}";
      // A oneof with no case set.
      return keys.length === 1 && keys[0] === "case" && (value as { case: unknown }).case === undefined
        ? "{ case: undefined }"
        : undefined;
    }
    default:
      return undefined;
  }
}
