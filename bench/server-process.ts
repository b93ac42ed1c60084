import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type ChildGroup, exitOf } from "./child-group.js";

/** How to start the booking server under test. */
export interface ServerProcessOptions {
  /** A SQLite file or a `postgres://` URL, as `serve --db` takes it. */
  db: string;
  credentialsFile: string;
  /** `Basic …` header value of a valid credential, for the readiness probe. */
  authorization: string;
  /** Write a V8 CPU profile of the server into this directory when it stops. */
  cpuProfileDir?: string;
  logLevel?: string;
}

/** A running `booking-server serve` child. */
export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  /** From spawn to the first successful HealthCheck, in ms. */
  coldStartMs: number;
  /** Resident set size of the server process now, in KiB (VmRSS). */
  rssKb(): number;
  /** CPU time (user + system, all threads) the server process has used so far, in ms. */
  cpuMs(): number;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. */
  stop(): Promise<void>;
}

const binPath = fileURLToPath(new URL("../bin/booking-server.js", import.meta.url));

/** The Node flags `npm start` and the container run the server with, so the bench measures the same. */
export const serverNodeFlags = ["--max-semi-space-size=32"];
const startTimeoutMs = 120_000;

/** Starts the server as its own process on 127.0.0.1:0 and waits until HealthCheck answers. */
export async function startServerProcess(group: ChildGroup, options: ServerProcessOptions): Promise<ServerProcess> {
  const started = performance.now();
  // BENCH_SERVER_NODE_ARGS: Node/V8 flags for the server alone, to measure one (e.g. a GC setting).
  const nodeArgs = [
    ...serverNodeFlags,
    ...(process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean),
    ...(options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
  ];
  const args = ["serve", "--host", "127.0.0.1", "--port", "0", "--db", options.db];
  args.push("--credentials", options.credentialsFile, "--log-level", options.logLevel ?? "info");
  // Explicit, so that a BOOKING_* variable in the caller's environment cannot change what is measured.
  // (--durability applies to SQLite; PostgreSQL runs at its own, synchronous_commit on.)
  args.push("--durability", "full", "--rate-limit", "0");
  // The server logs one line per call; a pipe nobody reads would stall it, so logs go nowhere.
  const child = group.spawnNode(nodeArgs, binPath, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time\n${stderr}`)), startTimeoutMs);
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (text: string) => {
      stderr = (stderr + text).slice(-8_000);
      const match = /listening on (\S+)/.exec(stderr);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening\n${stderr}`));
    });
  });
  await waitForHealth(url, options.authorization, started);
  const coldStartMs = performance.now() - started;
  const pid = child.pid ?? 0;
  return {
    url,
    port: Number(new URL(url).port),
    pid,
    coldStartMs,
    rssKb: () => readRssKb(pid),
    cpuMs: () => readCpuMs(pid),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exitOf(child);
      clearTimeout(killer);
    },
  };
}

async function waitForHealth(url: string, authorization: string, started: number): Promise<void> {
  for (;;) {
    try {
      const res = await fetch(`${url}/v3/HealthCheck`, { headers: { authorization } });
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not accepting yet
    }
    if (performance.now() - started > startTimeoutMs) throw new Error("server never answered HealthCheck");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function readRssKb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** CPU time a process has used, from /proc/<pid>/stat (utime + stime, in clock ticks of 10 ms). */
export function readCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}
