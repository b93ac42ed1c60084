import {
  type DescField,
  type DescMessage,
  fromJson,
  type JsonValue,
  type MessageShape,
  ScalarType,
} from "@bufbuild/protobuf";
import { type FieldViolation, rpcError } from "../contract/errors.js";
import { fieldLimits } from "../rpc/validation/validation-limits.js";
import { createProtoJsonReader } from "./proto-json-reader.js";

type JsonObject = { [key: string]: JsonValue };

const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === "object" && !Array.isArray(value);

const options = { ignoreUnknownFields: true } as const;

// The plain form most bodies have is read in one pass; fromJson reads the rest and words every refusal.
const readPlainJson = createProtoJsonReader();

/**
 * Decodes a proto3-JSON request body. Refuses text that is not a JSON object (MALFORMED_JSON) and
 * values of the wrong type (INVALID_ARGUMENT naming every such field by its snake_case path, e.g.
 * `slot.start_sec` or `slot_time[3].service_id`). Messages never quote the offending value.
 */
export function decodeJsonRequest<Desc extends DescMessage>(
  schema: Desc,
  text: string,
  { emptyIsObject }: { emptyIsObject: boolean },
): MessageShape<Desc> {
  let json: unknown;
  try {
    json = emptyIsObject && text.trim() === "" ? {} : JSON.parse(text);
  } catch (e) {
    // V8 quotes a slice of the input in its message; only the position is safe to repeat.
    const position = /position (\d+)/.exec((e as Error).message)?.[1];
    throw rpcError("MALFORMED_JSON", `request body is not valid JSON${position ? ` (at position ${position})` : ""}`);
  }
  if (!isObject(json)) {
    throw rpcError("MALFORMED_JSON", `request body must be a JSON object of ${schema.typeName}`);
  }
  const plain = readPlainJson(schema, json);
  if (plain !== undefined) return plain;
  try {
    return fromJson(schema, json, options);
  } catch {
    const budget = { left: fieldLimits.maxReportedViolations };
    const violations = locateViolations(schema, json, "", budget);
    // The search stops at the cap: a rejected body costs what it takes to list a hundred violations.
    if (budget.left <= 0) violations.push({ field: "", description: "further violations are not listed" });
    if (violations.length === 0) violations.push({ field: "", description: "has fields that cannot be combined" });
    const message = violations.map((v) => (v.field ? `${v.field}: ${v.description}` : v.description)).join("; ");
    throw rpcError("INVALID_ARGUMENT", message, { violations });
  }
}

/** A count of violations still to report; the search stops when it reaches zero. */
type Budget = { left: number };

/**
 * Finds the fields of `json` that fail to decode, by decoding each field (and list element) alone,
 * until `budget` violations are found.
 */
function locateViolations(schema: DescMessage, json: JsonObject, prefix: string, budget: Budget): FieldViolation[] {
  const out: FieldViolation[] = [];
  const add = (found: FieldViolation[]): void => {
    out.push(...found);
    budget.left -= found.length;
  };
  for (const [key, value] of Object.entries(json)) {
    if (budget.left <= 0) break;
    const field = schema.fields.find((f) => f.name === key || f.jsonName === key);
    if (!field || decodes(schema, { [key]: value })) continue;
    const path = `${prefix}${field.name}`;
    if (field.fieldKind === "message") {
      add(nested(field.message, value, path, budget));
    } else if (field.fieldKind === "list") {
      if (!Array.isArray(value)) {
        add([{ field: path, description: "must be a list" }]);
        continue;
      }
      for (let index = 0; index < value.length && budget.left > 0; index++) {
        const element = value[index] as JsonValue;
        const at = `${path}[${index}]`;
        if (field.listKind === "message") add(nested(field.message, element, at, budget));
        else if (!decodes(schema, { [key]: [element] })) add([{ field: at, description: expected(field) }]);
      }
    } else {
      add([{ field: path, description: expected(field) }]);
    }
  }
  return out;
}

function nested(schema: DescMessage, value: JsonValue, path: string, budget: Budget): FieldViolation[] {
  if (!isObject(value)) return [{ field: path, description: "must be a JSON object" }];
  if (decodes(schema, value)) return [];
  // The nested search counts against the caller's budget itself; only its result is added there.
  const inner = { left: budget.left };
  const found = locateViolations(schema, value, `${path}.`, inner);
  // Every field decodes alone but not together: a oneof set twice, or a field under both its names.
  return found.length > 0 ? found : [{ field: path, description: "has fields that cannot be combined" }];
}

function decodes(schema: DescMessage, json: JsonObject): boolean {
  try {
    fromJson(schema, json, options);
    return true;
  } catch {
    return false;
  }
}

/** What a field of this kind accepts, in words a client can act on. */
function expected(field: DescField): string {
  if (field.fieldKind === "map") return "must be a JSON object of string keys and values";
  if (field.fieldKind === "enum" || (field.fieldKind === "list" && field.listKind === "enum")) {
    return `must be one of ${field.enum.values.map((v) => v.name).join(", ")}`;
  }
  const scalar =
    field.fieldKind === "scalar" || (field.fieldKind === "list" && field.listKind === "scalar")
      ? field.scalar
      : undefined;
  switch (scalar) {
    case ScalarType.STRING:
      return "must be a string";
    case ScalarType.BOOL:
      return "must be true or false";
    case ScalarType.BYTES:
      return "must be base64 text";
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return "must be a 64-bit integer, as a number or a decimal string";
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return "must be a non-negative 64-bit integer, as a number or a decimal string";
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return "must be a 32-bit integer";
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return "must be a non-negative 32-bit integer";
    case ScalarType.FLOAT:
    case ScalarType.DOUBLE:
      return "must be a number";
    default:
      return "has the wrong type";
  }
}
