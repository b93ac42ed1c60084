/**
 * A JSON parser that remembers where every value starts, so a feed can be rejected with the line and
 * column of the offending value. Hand-written because JSON.parse keeps no positions and none of our
 * dependencies does this; it is small and only needs to follow RFC 8259.
 */

/** Where a value starts: 1-based line and column. */
export interface JsonPosition {
  line: number;
  column: number;
}

/** A parsed JSON value with its position. Numbers keep their source text so int64 stays exact. */
export type JsonNode = JsonPosition &
  (
    | { kind: "object"; entries: Map<string, JsonNode> }
    | { kind: "array"; items: JsonNode[] }
    | { kind: "string"; value: string }
    | { kind: "number"; raw: string }
    | { kind: "boolean"; value: boolean }
    | { kind: "null" }
  );

/** A syntax error at a position. */
export class JsonSyntaxError extends Error {
  readonly line: number;
  readonly column: number;

  constructor(message: string, position: JsonPosition) {
    super(`${position.line}:${position.column}: ${message}`);
    this.name = "JsonSyntaxError";
    this.line = position.line;
    this.column = position.column;
  }
}

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const maxDepth = 256;
/** Most distinct property names kept for reuse; a document with more keeps parsing, unshared. */
const maxKeptNames = 10_000;

/** Parses JSON text into position-carrying nodes; throws JsonSyntaxError. */
export function parseJsonWithPositions(text: string): JsonNode {
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  const here = (): JsonPosition => ({ line, column: pos - lineStart + 1 });
  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, here());
  };
  const skipSpace = () => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x0a) {
        pos += 1;
        line += 1;
        lineStart = pos;
      } else if (c === 0x20 || c === 0x09 || c === 0x0d) {
        pos += 1;
      } else {
        return;
      }
    }
  };
  const describe = () => (pos >= text.length ? "end of input" : JSON.stringify(text[pos]));

  // A feed repeats the same few property names in every entry: each distinct name is kept once.
  const names = new Map<string, string>();
  const parseName = (): string => {
    const name = parseString();
    const known = names.get(name);
    if (known !== undefined) return known;
    if (names.size < maxKeptNames) names.set(name, name);
    return name;
  };

  const parseString = (): string => {
    const start = here();
    let end = pos + 1;
    for (;;) {
      end = text.indexOf('"', end);
      if (end < 0) return fail("unterminated string");
      let slashes = 0;
      while (text.charCodeAt(end - 1 - slashes) === 0x5c) slashes += 1;
      if (slashes % 2 === 0) break;
      end += 1;
    }
    const rawText = text.slice(pos, end + 1);
    pos = end + 1;
    try {
      return JSON.parse(rawText) as string;
    } catch {
      throw new JsonSyntaxError("invalid string (bad escape or control character)", start);
    }
  };

  // Every node is built as one object literal: spreading a position into it made V8 keep each node in
  // dictionary mode, about three times the memory and four times the time of a whole feed.
  const parseValue = (depth: number): JsonNode => {
    if (depth > maxDepth) fail("nesting too deep");
    skipSpace();
    const startLine = line;
    const startColumn = pos - lineStart + 1;
    const c = text[pos];
    if (c === "{") {
      pos += 1;
      const entries = new Map<string, JsonNode>();
      skipSpace();
      if (text[pos] === "}") {
        pos += 1;
        return { line: startLine, column: startColumn, kind: "object", entries };
      }
      for (;;) {
        skipSpace();
        if (text[pos] !== '"') fail(`expected a property name, found ${describe()}`);
        const key = parseName();
        skipSpace();
        if (text[pos] !== ":") fail(`expected ":", found ${describe()}`);
        pos += 1;
        entries.set(key, parseValue(depth + 1));
        skipSpace();
        if (text[pos] === ",") {
          pos += 1;
        } else if (text[pos] === "}") {
          pos += 1;
          return { line: startLine, column: startColumn, kind: "object", entries };
        } else {
          fail(`expected "," or "}", found ${describe()}`);
        }
      }
    }
    if (c === "[") {
      pos += 1;
      const items: JsonNode[] = [];
      skipSpace();
      if (text[pos] === "]") {
        pos += 1;
        return { line: startLine, column: startColumn, kind: "array", items };
      }
      for (;;) {
        items.push(parseValue(depth + 1));
        skipSpace();
        if (text[pos] === ",") {
          pos += 1;
        } else if (text[pos] === "]") {
          pos += 1;
          return { line: startLine, column: startColumn, kind: "array", items };
        } else {
          fail(`expected "," or "]", found ${describe()}`);
        }
      }
    }
    if (c === '"') return { line: startLine, column: startColumn, kind: "string", value: parseString() };
    for (const value of [true, false]) {
      if (text.startsWith(String(value), pos)) {
        pos += String(value).length;
        return { line: startLine, column: startColumn, kind: "boolean", value };
      }
    }
    if (text.startsWith("null", pos)) {
      pos += 4;
      return { line: startLine, column: startColumn, kind: "null" };
    }
    numberPattern.lastIndex = pos;
    const match = numberPattern.exec(text);
    if (match) {
      pos += match[0].length;
      return { line: startLine, column: startColumn, kind: "number", raw: match[0] };
    }
    return fail(`unexpected ${describe()}`);
  };

  const root = parseValue(0);
  skipSpace();
  if (pos < text.length) fail(`unexpected ${describe()} after the end of the document`);
  return root;
}
