import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createTempDir, type TempDir } from "../support/temp-dir.js";
import { basicAuth, testCredential } from "../support/test-server.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
let temp: TempDir | undefined;
afterEach(() => temp?.remove());

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
    const credentials = temp.path("credentials.txt");
    writeFileSync(credentials, `${testCredential}\n`);
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "serve", "--port", "0", "--db", temp.path("booking.db")].concat([
        "--credentials",
        credentials,
        "--log-format",
        "json",
      ]),
      { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line in 20 s: ${stderr}`)), 20_000);
        child.stderr.on("data", (chunk: Buffer) => {
          stderr += chunk.toString();
          const match = /listening on (\S+)/.exec(stderr);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
      });
      const call = () =>
        fetch(`${url}/v3/HealthCheck`, { headers: { authorization: basicAuth(testCredential) } }).then((r) => r.text());

      // One call on an idle server: its line arrives without more traffic or an exit to push it out.
      await call();
      await expect.poll(() => jsonLines(stdout).filter((line) => line.msg === "call").length).toBe(1);

      // A burst, then SIGTERM at once: every call's line is on stdout when the process has exited.
      const burst = 200;
      for (let i = 0; i < burst / 50; i++) await Promise.all(Array.from({ length: 50 }, call));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      const calls = jsonLines(stdout).filter((line) => line.msg === "call");
      expect(calls).toHaveLength(1 + burst);
      expect(calls.every((line) => line.rpc === "HealthCheck")).toBe(true);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    }
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
