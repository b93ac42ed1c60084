import type { JsonNode, JsonPosition } from "./json-with-positions.js";

/** One problem in a feed: where it is, the JSON path, and what is wrong. */
export interface FeedIssue extends JsonPosition {
  path: string;
  message: string;
}

/** A rejected feed or policies file; nothing was changed. */
export class FeedRejectedError extends Error {
  readonly file: string;
  readonly issues: FeedIssue[];

  constructor(file: string, issues: FeedIssue[]) {
    super(issues.map((issue) => formatIssue(file, issue)).join("\n"));
    this.name = "FeedRejectedError";
    this.file = file;
    this.issues = issues;
  }
}

/** `file:line:column: message (at path)`, the form editors and terminals link to. */
export function formatIssue(file: string, issue: FeedIssue): string {
  return `${file}:${issue.line}:${issue.column}: ${issue.message}${issue.path ? ` (at ${issue.path})` : ""}`;
}

type ObjectNode = Extract<JsonNode, { kind: "object" }>;

/**
 * Reads typed fields out of position-carrying JSON and records an issue, at the offending value, for
 * every field that is missing or malformed. int64 fields accept JSON numbers and decimal strings.
 */
export class FieldReader {
  readonly issues: FeedIssue[] = [];

  issue(at: JsonPosition, path: string, message: string): undefined {
    this.issues.push({ line: at.line, column: at.column, path, message });
    return undefined;
  }

  object(node: JsonNode | undefined, path: string, at: JsonPosition): ObjectNode | undefined {
    if (!node) return this.issue(at, path, "is required");
    if (node.kind !== "object") return this.issue(node, path, `must be an object, not ${node.kind}`);
    return node;
  }

  array(node: JsonNode | undefined, path: string, at: JsonPosition, required: boolean): JsonNode[] | undefined {
    if (!node) return required ? this.issue(at, path, "is required") : [];
    if (node.kind !== "array") return this.issue(node, path, `must be an array, not ${node.kind}`);
    return node.items;
  }

  string(parent: ObjectNode, key: string, path: string, options: { required?: boolean } = {}): string | undefined {
    const node = parent.entries.get(key);
    const fieldPath = `${path}.${key}`;
    if (!node) return options.required ? this.issue(parent, fieldPath, "is required") : "";
    if (node.kind !== "string") return this.issue(node, fieldPath, `must be a string, not ${node.kind}`);
    if (options.required && node.value === "") return this.issue(node, fieldPath, "must not be empty");
    return node.value;
  }

  boolean(parent: ObjectNode, key: string, path: string): boolean | undefined {
    const node = parent.entries.get(key);
    if (!node) return false;
    if (node.kind !== "boolean") return this.issue(node, `${path}.${key}`, `must be true or false, not ${node.kind}`);
    return node.value;
  }

  /** An integer field; absent gives `fallback`, or an issue when there is none. */
  integer(
    parent: ObjectNode,
    key: string,
    path: string,
    options: { min?: number; fallback?: number } = {},
  ): number | undefined {
    const node = parent.entries.get(key);
    const fieldPath = `${path}.${key}`;
    if (!node) return options.fallback ?? this.issue(parent, fieldPath, "is required");
    const raw = node.kind === "number" ? node.raw : node.kind === "string" ? node.value : undefined;
    if (raw === undefined || !/^-?\d+$/.test(raw)) {
      return this.issue(node, fieldPath, `must be an integer (number or decimal string), not ${describe(node)}`);
    }
    const value = Number(raw);
    if (!Number.isSafeInteger(value)) return this.issue(node, fieldPath, `${raw} is out of range`);
    if (options.min !== undefined && value < options.min) {
      return this.issue(node, fieldPath, `must be at least ${options.min}, not ${value}`);
    }
    return value;
  }
}

function describe(node: JsonNode): string {
  switch (node.kind) {
    case "number":
      return node.raw;
    case "string":
      return JSON.stringify(node.value);
    default:
      return node.kind;
  }
}
