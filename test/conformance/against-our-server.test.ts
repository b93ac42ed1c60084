import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/booking/clock.js";
import { feedCommand } from "../../src/cli/feed-command.js";
import { runCommand } from "../support/run-command.js";
import { createTestDatabase, type TestDatabase, testBackends } from "../support/test-database.js";
import { startTestServer, type TestServer, testCredential } from "../support/test-server.js";
import { runHarness } from "./run-harness.js";

// The harness is a pure client; this is how CI proves our own server passes it on every protocol.
describe.each(testBackends)("booking-server conformance against our own server (%s)", (backend) => {
  let server: TestServer;
  let database: TestDatabase;
  let dir: string;
  let feedPath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "conformance-self-"));
    database = await createTestDatabase(backend);
    server = await startTestServer({ database: database.url, demo: true });
    feedPath = join(dir, "feed.json");
    const exported = await runCommand(feedCommand, ["export", feedPath, "--db", database.url], systemClock);
    expect(exported.code, exported.stderr).toBe(0);
  });
  afterAll(async () => {
    await server.close();
    await database.remove();
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
