import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { basicAuth, testCredential } from "../support/test-server.js";

const script = fileURLToPath(new URL("./fixtures/serve-child.ts", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** A server running in its own process on a shared database file. */
export interface ChildServer {
  url: string;
  authHeader: string;
  child: ChildProcess;
  /** Resolves once the process has exited. */
  exited: Promise<void>;
}

const running = new Set<ChildProcess>();

/** Spawns a server process on `dbPath` and waits for its listening line (20 s at most). */
export async function spawnChildServer(dbPath: string): Promise<ChildServer> {
  const child = spawn(process.execPath, ["--import", "tsx", script, "--db", dbPath, "--credential", testCredential], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  void exited.then(() => running.delete(child));
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`server did not start in 20 s: ${stderr}`)), 20_000);
    let stdout = "";
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening (\S+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => fail(new Error(`server exited with ${code}: ${stderr}`)));
  });
  return { url, authHeader: basicAuth(testCredential), child, exited };
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
