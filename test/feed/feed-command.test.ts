import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { feedCommand } from "../../src/cli/feed-command.js";
import { hoursFromNow, makeAvailability, makeFeed } from "../booking/feed-builders.js";
import { runCommand } from "../support/run-command.js";
import { openSqlProbe } from "../support/sql-probe.js";
import { createTestClock } from "../support/test-clock.js";
import { createTestDatabase, type TestDatabase, testBackends } from "../support/test-database.js";

describe.each(testBackends)("booking-server feed (%s)", (backend) => {
  let database: TestDatabase;
  let dir: string;
  beforeEach(async () => {
    database = await createTestDatabase(backend);
    dir = mkdtempSync(join(tmpdir(), "feed-command-"));
  });
  afterEach(async () => {
    await database.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = (...argv: string[]) => runCommand(feedCommand, [...argv, "--db", database.url], createTestClock());
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it("imports a feed and reports what it loaded", async () => {
    const feed = write(
      "feed.json",
      JSON.stringify(makeFeed([makeAvailability(), makeAvailability({ start_sec: hoursFromNow(-1) })])),
    );
    const result = await run("import", feed);
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toContain("PROCESS_AS_COMPLETE, 2 availability entries -> 2 slots");
    expect(result.stdout).toContain("inserted 1, updated 0, deleted 0, skipped (past) 1");
  });

  it("rejects a bad feed with file:line:column of each offending value and leaves the database as it was", async () => {
    await run("import", write("good.json", JSON.stringify(makeFeed([makeAvailability()]))));
    const start = hoursFromNow(30);
    const bad = write(
      "bad.json",
      [
        "{",
        '  "metadata": {"processing_instruction": "PROCESS_AS_COMPLETE"},',
        '  "service_availability": [{"availability": [',
        `    {"merchant_id": "m1", "service_id": "s1", "start_sec": ${start}, "duration_sec": 1800, "spots_total": 1},`,
        `    {"merchant_id": "m1", "service_id": "s1", "start_sec": "soon", "duration_sec": 1800, "spots_total": 1},`,
        `    {"merchant_id": "", "service_id": "s1", "start_sec": ${start}, "duration_sec": 1800, "spots_total": 1.5}`,
        "  ]}]",
        "}",
      ].join("\n"),
    );
    const result = await run("import", bad);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines[0]).toBe(
      `${bad}:5:60: must be an integer (number or decimal string), not "soon" (at service_availability[0].availability[1].start_sec)`,
    );
    expect(lines[1]).toBe(`${bad}:6:21: must not be empty (at service_availability[0].availability[2].merchant_id)`);
    expect(lines[2]).toMatch(new RegExp(`^${bad}:6:\\d+: must be an integer .*not 1\\.5 .*spots_total\\)$`));
    expect(lines.at(-1)).toBe(`${bad}: rejected (3 problems); nothing was changed`);
    const sql = openSqlProbe(database.url);
    expect(await sql.column("SELECT start_sec FROM slot")).toEqual([hoursFromNow(24)]);
    await sql.close();
  });

  it("points a JSON syntax error at its line and column", async () => {
    const result = await run("import", write("broken.json", '{\n  "metadata": {}\n  "service_availability": []\n}'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('broken.json:3:3: expected "," or "}", found "\\""');
  });

  it("exports the future inventory as a feed that imports back unchanged", async () => {
    const feed = makeFeed([
      makeAvailability({ spots_total: 4, spots_open: 3, resources: { staff_id: "ann" } }),
      makeAvailability({ service_id: "s2", confirmation_mode: "CONFIRMATION_MODE_ASYNCHRONOUS" }),
      makeAvailability({ service_id: "s2", start_sec: hoursFromNow(25), spots_open: 0 }),
    ]);
    await run("import", write("feed.json", JSON.stringify(feed)));
    const exported = await run("export");
    const parsed = JSON.parse(exported.stdout) as { service_availability: { availability: object[] }[] };
    expect(parsed.service_availability.map((b) => b.availability.length)).toEqual([1, 2]);
    expect(parsed.service_availability[0]?.availability[0]).toMatchObject({
      spots_total: 4,
      spots_open: 3,
      resources: { staff_id: "ann" },
    });
    const again = await run("import", write("exported.json", exported.stdout));
    expect(again.stdout).toContain("inserted 0, updated 3, deleted 0");
    expect((await run("export")).stdout).toBe(exported.stdout);
    const available = JSON.parse((await run("export", "--available-only")).stdout) as typeof parsed;
    expect(available.service_availability.flatMap((b) => b.availability)).toHaveLength(2);
  });
});
