import { fileURLToPath } from "node:url";
import { type ChildGroup, exitOf } from "./child-group.js";
import type { LatencySummary } from "./latency-recorder.js";
import type { RequestPlan } from "./request-source.js";

/** Wire protocols the load workers speak. */
export type LoadProtocol = "rest" | "connect-json" | "grpc";

/** One measured run: which requests, over what, how hard and for how long. */
export interface LoadJob {
  protocol: LoadProtocol;
  /**
   * Base URLs (`http://127.0.0.1:port`) of the server replicas; connections (HTTP) or call loops (gRPC)
   * are spread over them round-robin. gRPC workers use each one's host and port.
   */
  targets: string[];
  authorization: string;
  concurrency: number;
  /** Seconds of load before measuring starts (connections, JIT, caches). */
  warmupSec: number;
  durationSec: number;
  plan: RequestPlan;
  /** The bare node:http ceiling: the no-op is sent as `POST` with a small JSON body, other RPCs as on REST. */
  bareHttp?: boolean;
}

/** What a load worker measured in the measuring window. */
export interface LoadResult extends LatencySummary {
  rps: number;
  /** Requests completed during warm-up and measurement, to share out the server's CPU time. */
  totalRequests: number;
  /** CPU time of the load generator per measured request, in µs. */
  clientCpuUs: number;
  /** Transport errors, non-OK statuses and responses carrying a booking_failure. */
  errors: number;
  /** A description of the first error seen, to tell what went wrong. */
  firstError?: string;
  /** Set when the server does not implement the RPC yet (UNIMPLEMENTED); nothing was measured. */
  skipped?: string;
}

const workers: Record<LoadProtocol, string> = {
  rest: "http-load-worker.ts",
  "connect-json": "http-load-worker.ts",
  grpc: "grpc-load-worker.ts",
};

/**
 * Runs a job in its own load-generator process (never in the server's, never in this one) and returns
 * what it measured.
 */
export async function runLoadJob(group: ChildGroup, job: LoadJob): Promise<LoadResult> {
  const script = fileURLToPath(new URL(workers[job.protocol], import.meta.url));
  const child = group.spawnNode(["--import", "tsx"], script, [JSON.stringify(job)]);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (text: string) => {
    stdout += text;
  });
  child.stderr?.setEncoding("utf8").on("data", (text: string) => {
    stderr = (stderr + text).slice(-4_000);
  });
  const code = await exitOf(child);
  const line = stdout.trim().split("\n").pop() ?? "";
  if (code !== 0 || !line.startsWith("{")) {
    throw new Error(`load worker for ${job.plan.kind}/${job.protocol} failed (exit ${code})\n${stderr}`);
  }
  return JSON.parse(line) as LoadResult;
}

/** What a worker counted, turned into the result it reports. */
export async function loadResultOf(
  job: LoadJob,
  run: { summary: LatencySummary; totalRequests: number; cpuUs: Promise<number>; errors: number; firstError?: string },
): Promise<LoadResult> {
  return {
    ...run.summary,
    rps: run.summary.count / job.durationSec,
    totalRequests: run.totalRequests,
    clientCpuUs: (await run.cpuUs) / Math.max(1, run.summary.count),
    errors: run.errors,
    ...(run.firstError ? { firstError: run.firstError } : {}),
  };
}

/** The result of a job that measured nothing. */
export function emptyResult(): LoadResult {
  return { count: 0, meanMs: 0, p50Ms: 0, p99Ms: 0, maxMs: 0, rps: 0, totalRequests: 0, clientCpuUs: 0, errors: 0 };
}

/** This process's CPU time (user + system) between two `performance.now()` instants, in µs. */
export function measureCpu(from: number, to: number): Promise<number> {
  return new Promise((resolve) => {
    setTimeout(() => {
      const start = process.cpuUsage();
      setTimeout(() => {
        const used = process.cpuUsage(start);
        resolve(used.user + used.system);
      }, to - performance.now());
    }, from - performance.now());
  });
}
