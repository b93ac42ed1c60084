import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/booking/clock.js";
import { feedCommand } from "../../src/feed/feed-command.js";
import { runCommand } from "../support/run-command.js";
import { startTestServer, type TestServer, testCredential } from "../support/test-server.js";
import { runHarness } from "./run-harness.js";

// The harness is a pure client; this is how CI proves our own server passes it on every protocol.
describe("booking-server conformance against our own server", () => {
  let server: TestServer;
  let dir: string;
  let feedPath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "conformance-self-"));
    const dbPath = join(dir, "booking.db");
    server = await startTestServer({ dbPath, demo: true });
    feedPath = join(dir, "feed.json");
    const exported = await runCommand(feedCommand, ["export", feedPath, "--db", dbPath], systemClock);
    expect(exported.code, exported.stderr).toBe(0);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const protocol of ["rest", "connect", "grpc"]) {
    it(`passes every check over ${protocol}`, async () => {
      const junit = join(dir, `conformance-${protocol}.xml`);
      const run = await runHarness([
        "--target",
        server.url,
        "--credentials",
        testCredential,
        "--feed",
        feedPath,
        "--protocol",
        protocol,
        "--slots",
        "5",
        "--junit",
        junit,
      ]);
      const summary = `${run.stdout}\n${run.stderr}`;
      expect(summary).toMatch(/^\d+ passed, 0 failed$/m);
      expect(run.code, summary).toBe(0);
      expect(readFileSync(junit, "utf8")).toContain('failures="0"');
    });
  }
});
