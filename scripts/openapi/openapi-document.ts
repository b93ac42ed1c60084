import { type DescEnum, type DescField, type DescMessage, type DescService, ScalarType } from "@bufbuild/protobuf";
import { commentOf } from "./proto-comments.js";

type Schema = Record<string, unknown>;

const errorResponse = { $ref: "#/components/responses/Error" };
const retryAfter = {
  "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer", minimum: 0 } },
};

/**
 * Builds the OpenAPI 3.1 document of a service's REST mapping (`POST /v3/<Method>`, and `GET` for
 * HealthCheck), with proto3 JSON schemas for every message it reaches, named by their full proto names.
 */
export function buildOpenApiDocument(service: DescService): Schema {
  const schemas: Record<string, Schema> = {};
  const paths: Record<string, Schema> = {};
  for (const method of service.methods) {
    if (method.methodKind !== "unary") continue;
    const description = commentOf(method);
    const operation = (withBody: boolean): Schema => ({
      operationId: withBody ? method.name : `${method.name}Get`,
      tags: [service.name],
      summary: firstSentence(description) || method.name,
      ...(description ? { description } : {}),
      ...(withBody
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: messageRef(method.input, schemas) } },
            },
          }
        : {}),
      responses: {
        "200": {
          description: `${method.output.name}; a business failure is a 200 carrying only \`booking_failure\`.`,
          content: { "application/json": { schema: messageRef(method.output, schemas) } },
        },
        "401": { $ref: "#/components/responses/Unauthenticated" },
        "429": { $ref: "#/components/responses/RetryLater" },
        "503": { $ref: "#/components/responses/RetryLater" },
        default: errorResponse,
      },
    });
    paths[`/v3/${method.name}`] = {
      ...(method.name === "HealthCheck" ? { get: operation(false) } : {}),
      post: operation(true),
    };
  }
  paths["/v3/openapi.json"] = {
    get: {
      operationId: "GetOpenApiDocument",
      tags: ["Document"],
      summary: "This document.",
      responses: {
        "200": { description: "The OpenAPI document of the REST mapping.", content: { "application/json": {} } },
        "401": { $ref: "#/components/responses/Unauthenticated" },
        default: errorResponse,
      },
    },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: `${service.typeName} REST mapping`,
      version: service.file.proto.package.split(".").pop() ?? "v3",
      description: [
        commentOf(service),
        "",
        "Google's Booking Server v3 REST mapping, generated from the protos. Bodies are proto3 JSON:",
        "responses use proto field names (snake_case), int64 as decimal strings and enums by name, and",
        "leave out default values. Requests may also use lowerCamelCase names, int64 as numbers and enum",
        "numbers; unknown fields are ignored. Paths match case-insensitively, with or without a trailing",
        "slash. Errors follow Google's JSON error model.",
      ].join("\n"),
    },
    security: [{ basicAuth: [] }],
    tags: [
      { name: service.name, description: commentOf(service) },
      { name: "Document", description: "This description of the REST mapping." },
    ],
    paths,
    components: {
      securitySchemes: {
        basicAuth: { type: "http", scheme: "basic", description: "An aggregator credential (user:password)." },
      },
      responses: {
        Error: {
          description: "An error in Google's JSON error model.",
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
        Unauthenticated: {
          description: "Missing or wrong credentials (CREDENTIALS_MISSING, CREDENTIALS_INVALID).",
          headers: { "WWW-Authenticate": { schema: { type: "string" } } },
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
        RetryLater: {
          description: "Rate limited (429) or the store is unavailable (503): wait Retry-After, then retry.",
          headers: retryAfter,
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
      },
      schemas: { ...sorted(schemas), Error: errorSchema },
    },
  };
}

const errorSchema: Schema = {
  type: "object",
  description: "Google's JSON error model.",
  properties: {
    error: {
      type: "object",
      properties: {
        code: { type: "integer", description: "The HTTP status." },
        message: { type: "string" },
        status: { type: "string", description: "The google.rpc.Code name, e.g. INVALID_ARGUMENT." },
        errors: {
          type: "array",
          items: {
            type: "object",
            properties: {
              domain: { type: "string" },
              reason: { type: "string", description: "lowerCamelCase reason, e.g. invalidArgument." },
              message: { type: "string" },
              location: { type: "string", description: "The request field, e.g. slot.start_sec." },
              locationType: { type: "string" },
            },
          },
        },
        details: {
          type: "array",
          description: "google.rpc.ErrorInfo (always), BadRequest (invalid fields), RetryInfo (429, 503).",
          items: { type: "object", properties: { "@type": { type: "string" } }, additionalProperties: true },
        },
      },
      required: ["code", "message", "status"],
    },
  },
  required: ["error"],
};

function messageRef(message: DescMessage, schemas: Record<string, Schema>): Schema {
  if (!(message.typeName in schemas)) {
    schemas[message.typeName] = {};
    schemas[message.typeName] = messageSchema(message, schemas);
  }
  return { $ref: `#/components/schemas/${message.typeName}` };
}

function messageSchema(message: DescMessage, schemas: Record<string, Schema>): Schema {
  const properties: Record<string, Schema> = {};
  for (const field of message.fields) properties[field.name] = fieldSchema(field, schemas);
  const oneofs = message.oneofs.map(
    (oneof) => `At most one of ${oneof.fields.map((f) => `\`${f.name}\``).join(", ")} is set.`,
  );
  const description = [commentOf(message), ...oneofs].filter((line) => line !== "").join("\n\n");
  // No additionalProperties: false, since requests may carry unknown fields (they are ignored).
  return { type: "object", ...(description ? { description } : {}), properties };
}

function fieldSchema(field: DescField, schemas: Record<string, Schema>): Schema {
  let schema: Schema;
  switch (field.fieldKind) {
    case "scalar":
      schema = scalarSchema(field.scalar);
      break;
    case "enum":
      schema = enumSchema(field.enum);
      break;
    case "message":
      schema = messageRef(field.message, schemas);
      break;
    case "list":
      schema = {
        type: "array",
        items:
          field.listKind === "scalar"
            ? scalarSchema(field.scalar)
            : field.listKind === "enum"
              ? enumSchema(field.enum)
              : messageRef(field.message, schemas),
      };
      break;
    case "map":
      schema = {
        type: "object",
        additionalProperties:
          field.mapKind === "scalar"
            ? scalarSchema(field.scalar)
            : field.mapKind === "enum"
              ? enumSchema(field.enum)
              : messageRef(field.message, schemas),
      };
      break;
  }
  const description = commentOf(field);
  const deprecated = field.deprecated;
  if (!description && !deprecated) return schema;
  // OpenAPI 3.1 allows siblings of $ref; wrapping keeps the shared schema's own description.
  return { ...schema, ...(description ? { description } : {}), ...(deprecated ? { deprecated: true } : {}) };
}

function enumSchema(desc: DescEnum): Schema {
  const description = commentOf(desc);
  return {
    type: "string",
    enum: desc.values.map((value) => value.name),
    ...(description ? { description: `${desc.name}: ${description}` } : {}),
  };
}

function scalarSchema(scalar: ScalarType): Schema {
  switch (scalar) {
    case ScalarType.STRING:
      return { type: "string" };
    case ScalarType.BOOL:
      return { type: "boolean" };
    case ScalarType.BYTES:
      return { type: "string", contentEncoding: "base64" };
    case ScalarType.DOUBLE:
      return { type: "number", format: "double" };
    case ScalarType.FLOAT:
      return { type: "number", format: "float" };
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return { type: "integer", format: "int32" };
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return { type: "integer", minimum: 0, maximum: 4294967295 };
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
      return { type: "string", format: "int64", pattern: "^-?[0-9]+$" };
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return { type: "string", format: "int64", pattern: "^[0-9]+$" };
  }
}

function firstSentence(text: string): string {
  const line = text.split("\n")[0] ?? "";
  const end = line.search(/\.(\s|$)/);
  return end >= 0 ? line.slice(0, end + 1) : line;
}

function sorted(schemas: Record<string, Schema>): Record<string, Schema> {
  return Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)));
}
