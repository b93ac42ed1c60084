import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { killAllChildServers, spawnChildServer } from "../rpc/child-server.js";
import { createTempDir, type TempDir } from "../support/temp-dir.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
let temp: TempDir | undefined;
afterEach(async () => {
  await killAllChildServers();
  temp?.remove();
});

/** Parses the JSON lines a process wrote, ignoring anything else. */
function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("log lines on stdout", () => {
  it("reach stdout while serving and are all written when the process stops right after a burst", async () => {
    temp = createTempDir("stdout-log-");
    const server = await spawnChildServer(temp.path("booking.db"), ["--log-format", "json", "--log-level", "info"]);
    const call = () =>
      fetch(`${server.url}/v3/HealthCheck`, { headers: { authorization: server.authHeader } }).then((r) => r.text());
    const calls = () => jsonLines(server.stdout()).filter((line) => line.msg === "call");

    // One call on an idle server: its line arrives without more traffic or an exit to push it out.
    await call();
    await expect.poll(() => calls().length).toBe(1);

    // A burst, then SIGTERM at once: every call's line is on stdout when the process has exited.
    const burst = 200;
    for (let i = 0; i < burst / 50; i++) await Promise.all(Array.from({ length: 50 }, call));
    // "close": the process has exited and its stdout has ended.
    const closed = new Promise<number | null>((resolve) => server.child.once("close", (code) => resolve(code)));
    server.child.kill("SIGTERM");
    expect(await closed).toBe(0);
    expect(calls()).toHaveLength(1 + burst);
    expect(calls().every((line) => line.rpc === "HealthCheck")).toBe(true);
  });

  it("writes a line logged just before process.exit, in the same turn", async () => {
    const script = [
      'import { createLogger } from "./src/logger.ts";',
      "const logger = createLogger();",
      'logger.info({ step: 1 }, "first");',
      'logger.fatal({ step: 2 }, "last words");',
      "process.exit(3);",
    ].join("\n");
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    // "close": the process has exited and its stdout has ended.
    const code = await new Promise<number | null>((resolve) => child.once("close", (exitCode) => resolve(exitCode)));
    expect(code).toBe(3);
    expect(jsonLines(stdout).map((line) => line.msg)).toEqual(["first", "last words"]);
  });
});
