import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createTempDir } from "../support/temp-dir.js";
import { basicAuth, testCredential } from "../support/test-server.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** A `booking-server serve` process on a shared database (a SQLite file or a PostgreSQL URL). */
export interface ChildServer {
  url: string;
  authHeader: string;
  child: ChildProcess;
  /** Resolves once the process has exited. */
  exited: Promise<void>;
  /** Everything the process wrote to stderr so far, to explain an unexpected exit. */
  stderr(): string;
  /** Everything the process wrote to stdout so far (its log lines). */
  stdout(): string;
}

const running = new Set<ChildProcess>();

/**
 * Runs `booking-server serve --port 0 --db <db> --log-level warn` (plus `extraArgs`, which may override
 * the log level) and waits for its listening line
 * (20 s at most).
 */
export async function spawnChildServer(db: string, extraArgs: readonly string[] = []): Promise<ChildServer> {
  const temp = createTempDir("booking-child-");
  const credentials = temp.path("credentials.txt");
  writeFileSync(credentials, `${testCredential}\n`);
  const args = ["--import", "tsx", "src/cli/main.ts", "serve", "--port", "0", "--db", db, "--credentials", credentials];
  const child = spawn(process.execPath, [...args, "--log-level", "warn", ...extraArgs], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      temp.remove();
      resolve();
    }),
  );
  void exited.then(() => running.delete(child));
  let stdout = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  let stderr = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`server did not start in 20 s: ${stderr}`)), 20_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /listening on (\S+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => fail(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return { url, authHeader: basicAuth(testCredential), child, exited, stderr: () => stderr, stdout: () => stdout };
}

/** Kills every child server still running (SIGKILL) and waits for them; for afterEach. */
export async function killAllChildServers(): Promise<void> {
  const waits = [...running].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  );
  await Promise.all(waits);
}

/** Stops a child server gracefully (SIGTERM), killing it after 5 s. */
export async function stopChildServer(server: ChildServer): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const timer = setTimeout(() => server.child.kill("SIGKILL"), 5_000);
  server.child.kill("SIGTERM");
  await server.exited;
  clearTimeout(timer);
}
