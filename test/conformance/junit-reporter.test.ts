import { describe, expect, it } from "vitest";
import type { ConformanceReport } from "../../src/conformance/conformance-report.js";
import { formatJunitReport } from "../../src/conformance/junit-reporter.js";
import { findAll, parseXml } from "./xml-parser.js";

const hostile = `a <b> & "c" 'd' \u0001 ]]> done\nnext line`;

function makeReport(overrides: Partial<ConformanceReport> = {}): ConformanceReport {
  return {
    target: "http://127.0.0.1:8080/?a=1&b=<2>",
    protocol: "rest",
    runId: "conf-test",
    feed: "feed.json",
    feedSlots: 3,
    leadTimeSec: 86400,
    slotCount: 1,
    startedAt: "2030-01-01T00:00:00.000Z",
    durationMs: 1234,
    passed: 1,
    failed: 1,
    skipped: 1,
    cleanup: { cancelled: [], alreadyCancelled: 0, failed: [] },
    checks: [
      { name: "health-check", description: "", status: "passed", durationMs: 5, notes: [hostile] },
      {
        name: "replay-identical",
        description: "",
        status: "failed",
        durationMs: 12,
        notes: [],
        failure: {
          message: hostile,
          expected: "the same <booking>",
          exchange: {
            call: "POST /v3/CreateBooking",
            request: { a: "<&>" },
            status: "HTTP 200",
            response: hostile,
            durationMs: 3,
          },
        },
      },
      { name: "check-availability", description: "", status: "skipped", durationMs: 1, notes: [], skipReason: hostile },
    ],
    ...overrides,
  };
}

describe("formatJunitReport", () => {
  it("escapes every string so the XML parses and reads back what was reported", () => {
    const root = parseXml(formatJunitReport(makeReport()));
    const cleaned = hostile.replace("\u0001", "");
    expect(root.name).toBe("testsuites");
    const [suite] = findAll(root, "testsuite");
    expect(suite?.attributes).toMatchObject({ tests: "3", failures: "1", skipped: "1", time: "1.234" });
    const target = findAll(root, "property").find((p) => p.attributes.name === "target");
    expect(target?.attributes.value).toBe("http://127.0.0.1:8080/?a=1&b=<2>");
    const [failure] = findAll(root, "failure");
    expect(failure?.attributes.message).toBe(cleaned);
    expect(failure?.text).toContain('expected: the same <booking>\nsent:     POST /v3/CreateBooking {"a":"<&>"}');
    expect(findAll(root, "skipped")[0]?.attributes.message).toBe(cleaned);
    expect(findAll(root, "system-out")[0]?.text).toBe(cleaned);
  });

  it("writes a passed check as an empty testcase with its time in seconds", () => {
    const report = makeReport({
      checks: [{ name: "health-check", description: "", status: "passed", durationMs: 1500, notes: [] }],
    });
    const [testcase] = findAll(parseXml(formatJunitReport(report)), "testcase");
    expect(testcase).toEqual({
      name: "testcase",
      attributes: { name: "health-check", classname: "conformance.rest", time: "1.500" },
      children: [],
      text: "",
    });
  });
});
