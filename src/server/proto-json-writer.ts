import { type DescField, type DescMessage, type MessageShape, ScalarType, toJson } from "@bufbuild/protobuf";

/**
 * Proto3 JSON text of a message, byte for byte what `JSON.stringify(toJson(schema, message, options))`
 * gives, written straight to a string. Building the JSON object tree and then serialising it was the
 * largest share of a 100-booking ListBookings answer on REST.
 *
 * The writer of each message type is generated from its descriptor on first use, as JavaScript source
 * compiled with `new Function`: each field is read by its literal name, so V8 sees one shape per
 * message type instead of a generic loop whose keyed loads go megamorphic (a closure-per-field
 * version of this writer was no faster than toJson). The source is built only from descriptors, never
 * from request data. A type with a field kind the writer does not write itself (maps, bytes,
 * well-known types, legacy required fields) is written by the generic path, and so is any message
 * whose values are not of their field's type: the generic path then throws the error it always threw.
 *
 * A frozen message is taken to be frozen all through (see `deepFreeze`): its text is written once
 * and kept, weakly, for as long as the message itself is kept.
 */
export type ProtoJsonWriter = <Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>) => string;

/** The options of `toJson` this writer reproduces; everything else stays at its default. */
export interface ProtoJsonWriterOptions {
  useProtoFieldName: boolean;
}

type MessageWriter = (message: object) => string;

/** Thrown inside a generated writer when a value is not what its field holds; the generic path takes over. */
const notWritable = new Error("value is not of its field's type");

function fail(): never {
  throw notWritable;
}

/** A 64-bit integer as proto3 JSON's decimal string; bigint is the usual representation. */
function int64(value: unknown): string {
  if (typeof value === "bigint" || typeof value === "string" || Number.isInteger(value)) {
    return JSON.stringify(String(value));
  }
  return fail();
}

/** A float or double: NaN and the infinities are strings in proto3 JSON. */
function float(value: unknown): string {
  if (typeof value !== "number") return fail();
  return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(String(value));
}

/** A bigint's decimal text; one in the safe range converts a third faster as a double (and exactly). */
function bigintText(value: bigint): string {
  const asNumber = Number(value);
  return Number.isSafeInteger(asNumber) ? String(asNumber) : String(value);
}

// FeatureSet.FieldPresence, as protobuf-es names them.
const IMPLICIT = 2;
const LEGACY_REQUIRED = 3;

/** Creates a writer for one set of JSON options; it keeps the writers it generated, by message type. */
export function createProtoJsonWriter(options: ProtoJsonWriterOptions): ProtoJsonWriter {
  const writers = new Map<string, MessageWriter>();
  const generic = (schema: DescMessage, message: object): string =>
    JSON.stringify(toJson(schema, message as MessageShape<DescMessage>, options));

  function writerOf(desc: DescMessage): MessageWriter {
    const known = writers.get(desc.typeName);
    if (known) return known;
    // Registered before its fields are generated, so a recursive type refers to itself.
    let compiled: MessageWriter = (message) => compiled(message);
    writers.set(desc.typeName, (message) => compiled(message));
    compiled = generate(desc) ?? ((message) => generic(desc, message));
    writers.set(desc.typeName, compiled);
    return compiled;
  }

  function generate(desc: DescMessage): MessageWriter | undefined {
    if (desc.typeName.startsWith("google.protobuf.")) return undefined;
    // Values the generated source refers to by index: nested writers and enum name tables.
    const refs: unknown[] = [];
    const ref = (value: unknown): string => `refs[${refs.push(value) - 1}]`;
    let source = `if (m.$typeName !== ${JSON.stringify(desc.typeName)}) fail();\nlet o = "{", s = "", v;\n`;
    for (const field of [...desc.fields].sort((a, b) => a.number - b.number)) {
      const code = fieldSource(field, ref);
      if (code === undefined) return undefined;
      source += code;
    }
    source += `return o + "}";`;
    const build = new Function(
      "refs",
      "fail",
      "int64",
      "bigintText",
      "float",
      "str",
      `return function (m) {\n${source}\n};`,
    );
    return build(refs, fail, int64, bigintText, float, JSON.stringify) as MessageWriter;
  }

  /** The statements that append one field to `o`, when it is set. */
  function fieldSource(field: DescField, ref: (value: unknown) => string): string | undefined {
    const key = JSON.stringify(`${JSON.stringify(options.useProtoFieldName ? field.name : field.jsonName)}:`);
    const read = `m[${JSON.stringify(field.localName)}]`;
    const append = (expr: string) => `o += s + ${key} + ${expr}; s = ",";`;
    if (field.fieldKind === "map") return undefined;
    if (field.fieldKind === "list") {
      const first = valueSource(field, field.listKind, "v[0]", ref);
      const item = valueSource(field, field.listKind, "v[i]", ref);
      if (first === undefined || item === undefined) return undefined;
      return `v = ${read};
if (v.length !== 0) {
  o += s + ${key} + "[" + ${first};
  for (let i = 1; i < v.length; i++) o += "," + ${item};
  o += "]"; s = ",";
}\n`;
    }
    const value = valueSource(field, field.fieldKind, "v", ref);
    if (value === undefined) return undefined;
    if (field.oneof) {
      return `v = m[${JSON.stringify(field.oneof.localName)}];
if (v.case === ${JSON.stringify(field.localName)}) { v = v.value; ${append(value)} }\n`;
    }
    if (field.presence === LEGACY_REQUIRED) return undefined;
    if (field.presence !== IMPLICIT) {
      // Explicit presence: set means an own property (proto2 defaults sit on the prototype).
      return `v = ${read};
if (v !== undefined && Object.hasOwn(m, ${JSON.stringify(field.localName)})) { ${append(value)} }\n`;
    }
    const zero = zeroTest(field, ref);
    if (zero === undefined) return undefined;
    return `v = ${read};\nif (!(${zero})) { ${append(value)} }\n`;
  }

  /** An expression of the JSON text of the value in `v` (a variable name), or a call of `fail`. */
  function valueSource(
    field: DescField,
    kind: "scalar" | "enum" | "message",
    v: string,
    ref: (value: unknown) => string,
  ): string | undefined {
    if (kind === "message") {
      const desc = field.message as DescMessage;
      // Wrapper types are stored unboxed in their fields and have their own JSON; the generic path knows them.
      if (desc.typeName.startsWith("google.protobuf.")) return undefined;
      // Looked up at the first call, so a type that refers to itself, directly or not, is generated once.
      let resolved: MessageWriter | undefined;
      const nested = ref((message: object) => {
        resolved ??= writerOf(desc);
        return resolved(message);
      });
      return `(${v} !== null && typeof ${v} === "object" ? ${nested}(${v}) : fail())`;
    }
    if (kind === "enum") {
      const descEnum = field.enum;
      if (descEnum === undefined || descEnum.typeName === "google.protobuf.NullValue") return undefined;
      const names = ref(new Map(descEnum.values.map((e) => [e.number, JSON.stringify(e.name)])));
      // A number the schema does not name is written as the number, as toJson does.
      return `(typeof ${v} === "number" ? (${names}.get(${v}) ?? str(${v})) : fail())`;
    }
    switch (field.scalar) {
      case ScalarType.STRING:
        return `(typeof ${v} === "string" ? str(${v}) : fail())`;
      case ScalarType.BOOL:
        return `(${v} === true ? "true" : ${v} === false ? "false" : fail())`;
      case ScalarType.INT32:
      case ScalarType.SINT32:
      case ScalarType.SFIXED32:
      case ScalarType.UINT32:
      case ScalarType.FIXED32:
        return `(typeof ${v} === "number" ? str(${v}) : fail())`;
      case ScalarType.INT64:
      case ScalarType.SINT64:
      case ScalarType.SFIXED64:
      case ScalarType.UINT64:
      case ScalarType.FIXED64:
        return `(typeof ${v} === "bigint" ? '"' + bigintText(${v}) + '"' : int64(${v}))`;
      case ScalarType.FLOAT:
      case ScalarType.DOUBLE:
        return `float(${v})`;
      default:
        // bytes (base64) is left to the generic path.
        return undefined;
    }
  }

  const write = (schema: DescMessage, message: object): string => {
    try {
      return writerOf(schema)(message);
    } catch (e) {
      if (e !== notWritable) throw e;
      return generic(schema, message);
    }
  };
  // A frozen message cannot change, so its text is kept for as long as the message lives.
  const frozenTexts = new WeakMap<object, string>();
  return (schema, message) => {
    if (!Object.isFrozen(message)) return write(schema, message);
    let text = frozenTexts.get(message);
    if (text === undefined) {
      text = write(schema, message);
      frozenTexts.set(message, text);
    }
    return text;
  };
}

/** The condition, on `v`, under which an implicit-presence field holds its zero value and is not written. */
function zeroTest(field: DescField, ref: (value: unknown) => string): string | undefined {
  if (field.fieldKind === "enum") return `v === ${ref(field.enum.values[0]?.number)}`;
  switch (field.scalar) {
    case ScalarType.BOOL:
      return `v === false`;
    case ScalarType.STRING:
      return `v === ""`;
    case ScalarType.FLOAT:
    case ScalarType.DOUBLE:
      // Object.is tells -0 (written) from 0 (omitted).
      return "Object.is(v, 0)";
    case ScalarType.BYTES:
      return undefined;
    default:
      // Loose equality matches 0, 0n and "0", as toJson's check does.
      return "v == 0";
  }
}
