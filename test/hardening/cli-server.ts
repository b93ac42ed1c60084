import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** The demo credential `serve --demo` accepts without a credentials file. */
export const demoAuthorization = `Basic ${Buffer.from("demo:demo-password").toString("base64")}`;

/** `booking-server serve --demo` as a real process: a crash ends it instead of being caught by vitest. */
export interface CliServer {
  port: number;
  child: ChildProcess;
  /** Everything the process wrote on stderr so far (a crash leaves its stack here). */
  stderr(): string;
  /** Stops it (SIGTERM, SIGKILL after 5 s) and waits for the exit. */
  stop(): Promise<void>;
}

/** Runs `node bin/booking-server.js serve --demo --port 0 --db dbPath` and waits for its listening line. */
export async function startCliServer(dbPath: string): Promise<CliServer> {
  const args = ["bin/booking-server.js", "serve", "--demo", "--port", "0", "--db", dbPath, "--log-level", "warn"];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.kill("SIGTERM");
    await exited;
    clearTimeout(timer);
  };
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`server did not start in 30 s: ${stderr}`)), 30_000);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(error);
    };
    const onData = (): void => {
      const match = /listening on https?:\/\/[^\s]*:(\d+)/.exec(stderr);
      if (!match) return;
      clearTimeout(timer);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
      resolve(Number(match[1]));
    };
    const onExit = (code: number | null): void => fail(new Error(`server exited with ${code}: ${stderr}`));
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
  });
  return { port, child, stderr: () => stderr, stop };
}
