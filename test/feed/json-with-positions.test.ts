import { describe, expect, it } from "vitest";
import { JsonSyntaxError, parseJsonWithPositions } from "../../src/feed/json-with-positions.js";

describe("parseJsonWithPositions", () => {
  it("records the line and column where every value starts", () => {
    const root = parseJsonWithPositions('{\n  "a": [1, "x\\"y"],\n\t"b": {"c": null}\n}');
    if (root.kind !== "object") throw new Error("not an object");
    const a = root.entries.get("a");
    expect(a).toMatchObject({ kind: "array", line: 2, column: 8 });
    if (a?.kind !== "array") throw new Error("not an array");
    expect(a.items[1]).toMatchObject({ kind: "string", value: 'x"y', line: 2, column: 12 });
    expect(root.entries.get("b")).toMatchObject({ kind: "object", line: 3, column: 7 });
  });

  it("keeps a number's source text so int64 values stay exact", () => {
    expect(parseJsonWithPositions("9007199254740993")).toMatchObject({ kind: "number", raw: "9007199254740993" });
  });

  it("reads repeated and very many distinct property names alike", () => {
    const many = Object.fromEntries(Array.from({ length: 12_000 }, (_, i) => [`k${i}`, i]));
    const text = JSON.stringify({ many, list: [{ a: 1 }, { a: 2 }] });
    const root = parseJsonWithPositions(text);
    if (root.kind !== "object") throw new Error("not an object");
    const parsed = root.entries.get("many");
    if (parsed?.kind !== "object") throw new Error("not an object");
    expect(parsed.entries.size).toBe(12_000);
    expect(parsed.entries.get("k11999")).toMatchObject({ kind: "number", raw: "11999" });
    const list = root.entries.get("list");
    if (list?.kind !== "array") throw new Error("not an array");
    expect(list.items.map((item) => (item.kind === "object" ? item.entries.get("a") : undefined))).toMatchObject([
      { kind: "number", raw: "1" },
      { kind: "number", raw: "2" },
    ]);
  });

  it("agrees with JSON.parse on what is valid", () => {
    for (const text of ['{"a":1,}', "[1 2]", '"abc', '{"a":"\\q"}', "01", "{'a':1}", "[1,]", "tru"]) {
      expect(() => JSON.parse(text)).toThrow();
      expect(() => parseJsonWithPositions(text)).toThrow(JsonSyntaxError);
    }
  });

  it("points a syntax error at the offending character", () => {
    expect(() => parseJsonWithPositions('{\n  "a": 1\n  "b": 2\n}')).toThrow(
      expect.objectContaining({ line: 3, column: 3 }),
    );
  });
});
