import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allChecks } from "../../src/conformance/check-list.js";
import { type FakeRun, fakeCredentials, startFakeRun } from "./fake-run.js";
import { runHarness } from "./run-harness.js";
import { makeScratchDir } from "./test-feed.js";

const lastLine = (text: string) => text.trimEnd().split("\n").at(-1);

describe("booking-server conformance against a correct server", () => {
  let fake: FakeRun;

  beforeAll(async () => {
    fake = await startFakeRun();
  });

  afterAll(() => fake.close());

  const args = (...more: string[]) => [...fake.args, ...more];

  it("passes every check, reports each with a duration and cancels everything it booked", async () => {
    const run = await runHarness(args());
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    for (const check of allChecks) {
      expect(run.stdout).toContain(`▶ ${check.name} …`);
      expect(run.stdout).toMatch(new RegExp(`^✓ ${check.name} \\(\\d+ ms\\)$`, "m"));
    }
    expect(run.stdout).toMatch(/^cleanup: cancelled [1-9]\d* bookings made by this run/m);
    expect(lastLine(run.stdout)).toBe(`${allChecks.length} passed, 0 failed`);
    expect(fake.server.core.activeBookings()).toEqual([]);
  });

  it("runs only the checks --only names, comma-separated or repeated", async () => {
    const run = await runHarness(args("--only", "health-check,replay-identical", "--only", "cancel"));
    expect(run.code).toBe(0);
    const finished = run.stdout.match(/^[✓✗○] \S+/gm);
    expect(finished).toEqual(["✓ health-check", "✓ cancel", "✓ replay-identical"]);
    expect(lastLine(run.stdout)).toBe("3 passed, 0 failed");
    expect(fake.server.core.activeBookings()).toEqual([]);
  });

  it("gives a check that needs create-booking's bookings its own setup when run alone", async () => {
    const run = await runHarness(args("--only", "get-booking-status", "--slots", "3"));
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^✓ get-booking-status/m);
    expect(run.stdout).toMatch(/^cleanup: cancelled 3 bookings/m);
  });

  it("prints a JSON report on stdout and progress on stderr with --json", async () => {
    const run = await runHarness(args("--json", "--only", "health-check,batch-availability"));
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      format: "booking-server-conformance/1",
      target: fake.server.url,
      protocol: "rest",
      passed: 2,
      failed: 0,
      skipped: 0,
    });
    expect(report.checks.map((c: { name: string; status: string }) => [c.name, c.status])).toEqual([
      ["health-check", "passed"],
      ["batch-availability", "passed"],
    ]);
    expect(lastLine(run.stderr)).toBe("2 passed, 0 failed");
  });

  it("leaves out slots starting sooner than --lead-time and skips what then has no slot", async () => {
    const run = await runHarness(args("--lead-time", String(30 * 86400), "--only", "create-booking,list-bookings"));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(": 0 slots with open spots start in 2592000 s or later;");
    expect(run.stdout).toMatch(
      /^○ create-booking skipped \(\d+ ms\): the feed has no slot with an open spot starting after --lead-time$/m,
    );
    expect(run.stdout).toMatch(/^○ list-bookings skipped \(\d+ ms\): the feed has no slot with an open spot/m);
    expect(run.stdout).toContain("2 skipped (create-booking, list-bookings)");
  });

  it("runs feed-free checks without --feed", async () => {
    const run = await runHarness([
      "--target",
      fake.server.url,
      "--credentials",
      fakeCredentials,
      "--only",
      "health-check",
    ]);
    expect(run.code).toBe(0);
    expect(lastLine(run.stdout)).toBe("1 passed, 0 failed");
  });

  it("fails a check with the server's 401 message when the run's credentials are wrong", async () => {
    const run = await runHarness([
      "--target",
      fake.server.url,
      "--credentials",
      "google:wrong",
      "--only",
      "health-check",
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("HealthCheck failed with HTTP 401 UNAUTHENTICATED: missing or wrong credentials");
  });
});

describe("booking-server conformance against a server without CheckAvailability", () => {
  it("skips check-availability, says why, and does not fail the run", async () => {
    const fake = await startFakeRun({ withoutCheckAvailability: true });
    try {
      const run = await runHarness(fake.args);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^○ check-availability skipped \(\d+ ms\): CheckAvailability is not offered/m);
      expect(run.stdout).toContain("1 skipped (check-availability)");
      expect(lastLine(run.stdout)).toBe(`${allChecks.length - 1} passed, 0 failed`);
    } finally {
      await fake.close();
    }
  });
});

describe("booking-server conformance command line", () => {
  it("prints usage listing every check with --help", async () => {
    const run = await runHarness(["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: booking-server conformance --target URL/);
    for (const check of allChecks) expect(run.stdout).toContain(check.name);
  });

  it.each([
    [["--feed", "x.json"], "--target URL is required"],
    [["--target", "ftp://x"], "--target must be an http:// or https:// URL"],
    [["--target", "http://x", "--only", "nope"], "unknown check nope"],
    [["--target", "http://x", "--protocol", "soap"], "--protocol must be one of rest, connect, grpc"],
    [["--target", "http://x", "--slots", "0"], "--slots must be a positive integer"],
    [["--target", "http://x", "--lead-time", "soon"], "--lead-time must be a whole number of seconds"],
    [["--target", "http://x", "--only", "create-booking"], "--feed is required by create-booking"],
    [["--target", "http://x", "--bogus"], "Unknown option '--bogus'"],
  ])("refuses %j with exit code 2", async (argv, message) => {
    const run = await runHarness(argv);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(message);
  });

  it("reports an unreadable feed with its path and exit code 2", async () => {
    const scratch = await makeScratchDir();
    try {
      const feed = await scratch.write("bad.json", {
        service_availability: [{ availability: [{ merchant_id: "m" }] }],
      });
      const run = await runHarness(["--target", "http://127.0.0.1:9", "--feed", feed]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("service_availability[0].availability[0].service_id: expected a non-empty string");
    } finally {
      await scratch.remove();
    }
  });
});
