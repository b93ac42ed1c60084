import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import type { FakeFaults } from "./fake-booking-core.js";
import { type FakeRun, startFakeRun } from "./fake-run.js";
import { runHarness } from "./run-harness.js";
import { findAll, parseXml } from "./xml-parser.js";

interface CheckReport {
  name: string;
  status: string;
  failure?: { message: string; expected?: string; exchange?: { call: string; status: string } };
}

describe("booking-server conformance against a faulty server", () => {
  let fake: FakeRun | undefined;

  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  async function start(faults: FakeFaults): Promise<string[]> {
    fake = await startFakeRun({ faults });
    return fake.args;
  }

  it.each<[keyof FakeFaults, string, RegExp]>([
    ["replayNewBookingId", "replay-identical", /^the replay returned booking_id \S+, the first call returned \S+$/],
    [
      "doubleBook",
      "slot-fills-to-capacity",
      /^CreateBooking 3 on .+ \(spots_total 2, spots_open 2 in the feed\) was accepted: booking \S+ was made$/,
    ],
    ["500OnBadJson", "malformed-json-400", /^POST \/v3\/CreateBooking with a truncated JSON body answered HTTP 500$/],
    ["ignoresAuth", "bad-credentials-401", /^CreateBooking with wrong credentials answered HTTP 200$/],
  ])(
    "with fault %s, %s fails with a clear message, the exit code is 1 and cleanup still runs",
    async (fault, check, message) => {
      const args = await start({ [fault]: true });
      const run = await runHarness([...args, "--json"]);
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout) as { failed: number; checks: CheckReport[] };
      const result = report.checks.find((c) => c.name === check);
      expect(result?.status).toBe("failed");
      expect(result?.failure?.message).toMatch(message);
      expect(result?.failure?.expected).toBeTruthy();
      expect(result?.failure?.exchange?.call).toMatch(/^POST \/v3\//);
      expect(report.failed).toBeGreaterThanOrEqual(1);
      expect(run.stderr).toMatch(new RegExp(`^✗ ${check} \\(\\d+ ms\\)$`, "m"));
      expect(fake?.server.core.activeBookings()).toEqual([]);
    },
  );

  it("prints what was sent, what came back and what was expected under a failed check", async () => {
    const args = await start({ "500OnBadJson": true });
    const run = await runHarness([...args, "--only", "malformed-json-400"]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split("\n");
    const at = lines.findIndex((line) => /^✗ malformed-json-400 \(\d+ ms\)$/.test(line));
    expect(lines.slice(at + 1, at + 5)).toEqual([
      "      POST /v3/CreateBooking with a truncated JSON body answered HTTP 500",
      '      expected: HTTP 400 with {"error":{"code":400,"message":"...","status":"INVALID_ARGUMENT"}}',
      '      sent:     POST /v3/CreateBooking {"slot": {"merchant_id": ',
      expect.stringMatching(/^ {6}received: HTTP 500 Internal Server Error \(\d+ ms\)$/),
    ]);
    expect(lines.at(-1)).toBe("0 passed, 1 failed");
  });

  it("writes JUnit XML that parses and carries the failure", async () => {
    const args = await start({ doubleBook: true });
    const junit = `${fake?.dir}/junit.xml`;
    const run = await runHarness([...args, "--junit", junit, "--only", "health-check,slot-fills-to-capacity"]);
    expect(run.code).toBe(1);
    const suites = parseXml(await readFile(junit, "utf8"));
    const [suite] = findAll(suites, "testsuite");
    expect(suite?.attributes).toMatchObject({ tests: "2", failures: "1", errors: "0", skipped: "0" });
    const cases = findAll(suites, "testcase");
    expect(cases.map((c) => c.attributes.name)).toEqual(["health-check", "slot-fills-to-capacity"]);
    const failures = cases.map((testcase) => findAll(testcase, "failure"));
    expect(failures[0]).toEqual([]);
    const failure = failures[1]?.[0];
    expect(failure?.attributes.message).toMatch(/was accepted: booking \S+ was made$/);
    expect(failure?.text).toContain("expected: HTTP 200 / OK with only booking_failure {cause: SLOT_UNAVAILABLE}");
    expect(failure?.text).toContain('received: HTTP 200 {"booking":{"booking_id":');
  });
});
