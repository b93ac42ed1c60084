import { type DescField, type DescMessage, type MessageShape, ScalarType, toBinary } from "@bufbuild/protobuf";
import { utf8Size, varint64Size, varintSize, writeString, writeVarint, writeVarint64 } from "./proto-wire-encoding.js";

/**
 * The protobuf binary encoding of a message, byte for byte what `toBinary(schema, message)` gives,
 * after `reserve` bytes left for the caller (the 5-byte gRPC frame header), in one Buffer. It runs
 * two passes over the message, one that sizes every nested message and string and one that writes
 * into a buffer of the exact size, where toBinary forks a chunk list per nested message and copies
 * them together at the end: most of the cost of a 100-booking ListBookings answer on gRPC.
 *
 * The code of each message type is generated from its descriptor on first use (`new Function`, so
 * every field is read by its literal name; see `proto-json-writer.ts`); the source holds only numbers
 * and names from descriptors. A type with a field kind it does not write (bytes, floats, fixed and
 * zigzag integers, maps, well-known types, groups), a message carrying unknown fields, or a value not
 * of its field's type is encoded by toBinary instead, which then throws the error it always threw.
 * A frozen message is taken to be frozen all through (see `deepFreeze`): its bytes are written once.
 */
export interface ProtoBinaryWriter {
  encode<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>, reserve?: number): Buffer;
  /** True when messages of this type are written by generated code rather than handed to toBinary. */
  covers(schema: DescMessage): boolean;
}

/** The state both passes share: the sizes the first pass found, in the order the second pass needs them. */
interface Encoding {
  sizes: number[];
  next: number;
}

interface MessageCode {
  size(message: object, e: Encoding): number;
  /** Writes the message at `pos` and answers the position after it. */
  write(message: object, e: Encoding, buf: Buffer, pos: number): number;
}

const notWritable = new Error("message is not written by the generated encoder");

function fail(): never {
  throw notWritable;
}

/** A nested message's length prefix and body. Its size is reserved before the nested message adds its
 * own, so both passes meet the sizes in one order. */
function messageSize(code: MessageCode, message: object, e: Encoding): number {
  const at = e.sizes.length;
  e.sizes.push(0);
  const size = code.size(message, e);
  e.sizes[at] = size;
  return varintSize(size) + size;
}

/** A string's length prefix and bytes; the byte count is kept for the second pass. */
function stringSize(s: string, e: Encoding): number {
  const size = utf8Size(s);
  e.sizes.push(size);
  return varintSize(size) + size;
}

const helpers = { fail, varintSize, writeVarint, varint64Size, writeVarint64, writeString, messageSize, stringSize };

// FeatureSet.FieldPresence, as protobuf-es names them.
const IMPLICIT = 2;
const LEGACY_REQUIRED = 3;

/** Creates a writer; it keeps the code it generated, by message type. */
export function createProtoBinaryWriter(): ProtoBinaryWriter {
  const codes = new Map<string, MessageCode | null>();

  function codeOf(desc: DescMessage): MessageCode | null {
    if (codes.has(desc.typeName)) return codes.get(desc.typeName) as MessageCode | null;
    // A placeholder that forwards, so a type that contains itself refers to its own final code.
    const forward: MessageCode = {
      size: (m, e) => (codes.get(desc.typeName) as MessageCode).size(m, e),
      write: (m, e, buf, pos) => (codes.get(desc.typeName) as MessageCode).write(m, e, buf, pos),
    };
    codes.set(desc.typeName, forward);
    const code = generate(desc);
    codes.set(desc.typeName, code);
    return code;
  }

  function generate(desc: DescMessage): MessageCode | null {
    if (desc.typeName.startsWith("google.protobuf.")) return null;
    const refs: MessageCode[] = [];
    let size = "";
    let write = "";
    for (const field of [...desc.fields].sort((a, b) => a.number - b.number)) {
      const code = fieldCode(field, refs);
      if (code === null) return null;
      size += code.size;
      write += code.write;
    }
    const check = `if (m.$typeName !== ${JSON.stringify(desc.typeName)} || m.$unknown !== undefined) h.fail();\nlet v;\n`;
    const build = new Function(
      "refs",
      "h",
      `return {
size(m, e) {\n${check}let n = 0;\n${size}return n;\n},
write(m, e, buf, pos) {\n${check}${write}return pos;\n}\n};`,
    );
    return build(refs, helpers) as MessageCode;
  }

  /** The statements that size and write one field: `n +=` in the first pass, bytes at `pos` in the second. */
  function fieldCode(field: DescField, refs: MessageCode[]): { size: string; write: string } | null {
    if (field.fieldKind === "map") return null;
    const kind = field.fieldKind === "list" ? field.listKind : field.fieldKind;
    const value = valueCode(field, kind, refs);
    if (value === null) return null;
    const read = `m[${JSON.stringify(field.localName)}]`;
    if (field.fieldKind === "list") {
      if (field.packed && kind !== "message" && value.wireType === 0) {
        // Packed: one length-delimited run of varints, its length found in the first pass.
        const tag = tagCode(field.number, 2);
        return {
          size: `v = ${read};
if (v.length !== 0) { const at = e.sizes.length; e.sizes.push(0); let s = 0;
  for (let i = 0; i < v.length; i++) { const x = v[i]; ${value.check("x")} s += ${value.size("x")}; }
  e.sizes[at] = s; n += ${tag.length} + h.varintSize(s) + s; }\n`,
          write: `v = ${read};
if (v.length !== 0) { ${tag.write} pos = h.writeVarint(buf, pos, e.sizes[e.next++]);
  for (let i = 0; i < v.length; i++) { const x = v[i]; ${value.write("x")} } }\n`,
        };
      }
      const tag = tagCode(field.number, value.wireType);
      return {
        size: `v = ${read};
for (let i = 0; i < v.length; i++) { const x = v[i]; ${value.check("x")} n += ${tag.length} + ${value.size("x")}; }\n`,
        write: `v = ${read};
for (let i = 0; i < v.length; i++) { const x = v[i]; ${tag.write} ${value.write("x")} }\n`,
      };
    }
    const tag = tagCode(field.number, value.wireType);
    if (field.oneof) {
      // A oneof member is written when its group holds this case, whatever the value.
      const group = `v = m[${JSON.stringify(field.oneof.localName)}];\nif (v.case === ${JSON.stringify(field.localName)}) { v = v.value; `;
      return {
        size: `${group}${value.check("v")} n += ${tag.length} + ${value.size("v")}; }\n`,
        write: `${group}${tag.write} ${value.write("v")} }\n`,
      };
    }
    if (field.presence === LEGACY_REQUIRED) return null;
    const set =
      field.presence !== IMPLICIT
        ? `v !== undefined && Object.hasOwn(m, ${JSON.stringify(field.localName)})`
        : implicitSet(field, kind);
    if (set === null) return null;
    return {
      size: `v = ${read};\nif (${set}) { ${value.check("v")} n += ${tag.length} + ${value.size("v")}; }\n`,
      write: `v = ${read};\nif (${set}) { ${tag.write} ${value.write("v")} }\n`,
    };
  }

  /** How a value of a field is checked, sized and written, and its wire type. */
  function valueCode(field: DescField, kind: "scalar" | "enum" | "message", refs: MessageCode[]) {
    type Code = {
      wireType: number;
      check(x: string): string;
      size(x: string): string;
      write(x: string): string;
    };
    if (kind === "message") {
      const desc = field.message as DescMessage;
      if ((field as { delimitedEncoding?: boolean }).delimitedEncoding || desc.typeName.startsWith("google.protobuf."))
        return null;
      const nested = codeOf(desc);
      if (nested === null) return null;
      const r = `refs[${refs.push(nested) - 1}]`;
      return {
        wireType: 2,
        check: (x) => `if (${x} === null || typeof ${x} !== "object") h.fail();`,
        size: (x) => `h.messageSize(${r}, ${x}, e)`,
        write: (x) => `pos = h.writeVarint(buf, pos, e.sizes[e.next++]); pos = ${r}.write(${x}, e, buf, pos);`,
      } satisfies Code;
    }
    const scalar = kind === "enum" ? ScalarType.INT32 : field.scalar;
    switch (scalar) {
      case ScalarType.STRING:
        return {
          wireType: 2,
          check: (x) => `if (typeof ${x} !== "string") h.fail();`,
          size: (x) => `h.stringSize(${x}, e)`,
          write: (x) => `pos = h.writeString(buf, pos, ${x}, e.sizes[e.next++]);`,
        } satisfies Code;
      case ScalarType.BOOL:
        return {
          wireType: 0,
          check: (x) => `if (typeof ${x} !== "boolean") h.fail();`,
          size: () => "1",
          write: (x) => `buf[pos++] = ${x} ? 1 : 0;`,
        } satisfies Code;
      case ScalarType.INT32:
      case ScalarType.UINT32:
        return {
          wireType: 0,
          // toBinary checks the range of these; a value outside it is left to toBinary's error.
          check: (x) =>
            scalar === ScalarType.UINT32
              ? `if (!Number.isInteger(${x}) || ${x} < 0 || ${x} > 4294967295) h.fail();`
              : `if (!Number.isInteger(${x}) || ${x} < -2147483648 || ${x} > 2147483647) h.fail();`,
          size: (x) => `h.varintSize(${x})`,
          write: (x) => `pos = h.writeVarint(buf, pos, ${x});`,
        } satisfies Code;
      case ScalarType.INT64:
      case ScalarType.UINT64:
        return {
          wireType: 0,
          check: (x) =>
            scalar === ScalarType.UINT64
              ? `if (typeof ${x} !== "bigint" || ${x} < 0n || ${x} > 18446744073709551615n) h.fail();`
              : `if (typeof ${x} !== "bigint" || ${x} < -9223372036854775808n || ${x} > 9223372036854775807n) h.fail();`,
          size: (x) => `h.varint64Size(${x})`,
          write: (x) => `pos = h.writeVarint64(buf, pos, ${x});`,
        } satisfies Code;
      default:
        return null;
    }
  }

  const write = <Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>, reserve: number): Buffer => {
    const code = codeOf(schema);
    if (code !== null) {
      const e: Encoding = { sizes: [], next: 0 };
      try {
        const size = code.size(message, e);
        const buf = Buffer.allocUnsafe(reserve + size);
        code.write(message, e, buf, reserve);
        return buf;
      } catch (error) {
        if (error !== notWritable) throw error;
      }
    }
    const bytes = toBinary(schema, message);
    const out = Buffer.allocUnsafe(reserve + bytes.byteLength);
    out.set(bytes, reserve);
    return out;
  };
  // A frozen message cannot change: its bytes are kept for as long as it lives, and each call gets a copy
  // (the caller writes into the reserved bytes).
  const frozenBytes = new WeakMap<object, Buffer>();
  const encode = <Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>, reserve = 0): Buffer => {
    if (!Object.isFrozen(message)) return write(schema, message, reserve);
    let bytes = frozenBytes.get(message);
    if (bytes === undefined) {
      bytes = write(schema, message, 0);
      frozenBytes.set(message, bytes);
    }
    const out = Buffer.allocUnsafe(reserve + bytes.byteLength);
    bytes.copy(out, reserve);
    return out;
  };
  return { encode, covers: (schema) => codeOf(schema) !== null };
}

/** The bytes of a field's tag, as statements that write them and their count. */
function tagCode(fieldNo: number, wireType: number): { write: string; length: number } {
  let tag = fieldNo * 8 + wireType;
  const bytes: number[] = [];
  while (tag > 0x7f) {
    bytes.push((tag % 128) | 0x80);
    tag = Math.floor(tag / 128);
  }
  bytes.push(tag);
  return { write: bytes.map((b) => `buf[pos++] = ${b};`).join(" "), length: bytes.length };
}

/** The condition under which an implicit-presence field differs from its zero value and is written. */
function implicitSet(field: DescField, kind: "scalar" | "enum" | "message"): string | null {
  if (kind === "enum") return `v !== ${field.enum?.values[0]?.number ?? 0}`;
  switch (field.scalar) {
    case ScalarType.BOOL:
      return "v !== false";
    case ScalarType.STRING:
      return 'v !== ""';
    default:
      // Loose, as toBinary's check: 0, 0n and "0" are all zero.
      return "v != 0";
  }
}
