import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import type { BenchOptions } from "./bench-options.js";
import { baselineKeyOf, type ScenarioRow } from "./bench-scenarios.js";
import type { LoadResult } from "./load-job.js";

/** A throughput row with what it measured and how it compares with the same-run baselines. */
export interface MeasuredRow extends ScenarioRow {
  result: LoadResult;
  /**
   * req/s divided by the no-op HealthCheck's on the same protocol, server and replica count (with several
   * rounds, the median of the per-round ratios; the same for the ceilings below).
   */
  vsBaseline?: number;
  /** gRPC rows: req/s divided by the plain grpc-js server's no-op. */
  vsGrpcJs?: number;
  /**
   * HTTP/1.1 JSON rows (REST, Connect JSON): req/s divided by the bare node:http route's no-op. On a
   * node:http ceiling row other than the no-op: the ceiling's own share of that no-op.
   */
  vsNodeHttp?: number;
  /** REST rows with a node:http ceiling of the same requests: req/s divided by that ceiling's. */
  vsNodeHttpSame?: number;
  /**
   * Server CPU time per request (warm-up included, every replica), in µs: steadier than req/s on a busy
   * machine.
   */
  serverCpuUs?: number;
  /** PostgreSQL: the database server's CPU time per request (all its processes), in µs. */
  dbCpuUs?: number;
  /** With `--repeat`: req/s of every round; the row shows the median round. */
  roundsRps?: number[];
}

/** One database size of the scaling phase. */
export interface ScalingPoint {
  bookings: number;
  /** From spawning the server to its first successful HealthCheck. */
  coldStartMs: number;
  /** Server VmRSS after the size's load, in MiB. */
  rssMb: number;
  /** Time it took to add this size's bookings to the file. */
  seedMs: number;
  createBooking?: LoadResult;
  batchLookup?: LoadResult;
}

/** Everything a run measured, as written to `bench/results/<time>.json`. */
export interface BenchReport {
  startedAt: string;
  label: string;
  git: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryMb: number;
    node: string;
    platform: string;
    loadAverageAtStart: number[];
  };
  options: Omit<BenchOptions, "only"> & { only?: string };
  /** What the server stored its data in: `sqlite` or `postgres` (embedded PostgreSQL and its version). */
  backend: string;
  inventory: { merchants: number; slotsPerMerchant: number; slots: number };
  rows: MeasuredRow[];
  scaling: ScalingPoint[];
  durationSec: number;
}

/** The machine facts that make two runs comparable (or not). */
export function machineInfo(): BenchReport["machine"] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memoryMb: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

/** Fills in each row's ratios against the baselines measured in the same run. */
export function compareWithBaselines(rows: MeasuredRow[]): void {
  const baselines = new Map<string, MeasuredRow>();
  let grpcJs: MeasuredRow | undefined;
  let nodeHttp: MeasuredRow | undefined;
  const nodeHttpSame = new Map<string, MeasuredRow>();
  for (const row of rows) {
    if (row.baseline && !row.result.skipped) baselines.set(baselineKeyOf(row), row);
    if (row.server === "grpc-js") grpcJs = row;
    if (row.server === "node-http" && row.kind === "health") nodeHttp = row;
    else if (row.server === "node-http" && !row.result.skipped) nodeHttpSame.set(requestsKeyOf(row), row);
  }
  for (const row of rows) {
    if (row.result.skipped) continue;
    if (row.server === "node-http" && row !== nodeHttp && nodeHttp) row.vsNodeHttp = ratioOf(row, nodeHttp);
    if (row.server !== "booking") continue;
    const base = baselines.get(baselineKeyOf(row));
    if (base) row.vsBaseline = ratioOf(row, base);
    if (row.protocol === "grpc" && grpcJs) row.vsGrpcJs = ratioOf(row, grpcJs);
    if (row.protocol !== "grpc" && nodeHttp) row.vsNodeHttp = ratioOf(row, nodeHttp);
    const same = row.protocol === "rest" && row.replicas === 1 ? nodeHttpSame.get(requestsKeyOf(row)) : undefined;
    if (same && row.concurrency === same.concurrency) row.vsNodeHttpSame = ratioOf(row, same);
  }
}

/** Rows with the same key send the same requests. */
function requestsKeyOf(row: MeasuredRow): string {
  return `${row.kind}/${row.slotTimes ?? 0}/${row.concurrency}`;
}

/**
 * req/s of a row over req/s of its reference. With several rounds, the median of the per-round ratios:
 * a row and its reference measured minutes apart in the same round share the machine's load of that
 * moment, so on a shared machine this is steadier than a ratio of two medians.
 */
function ratioOf(row: MeasuredRow, reference: MeasuredRow): number | undefined {
  const rounds = row.roundsRps;
  const referenceRounds = reference.roundsRps;
  if (rounds && referenceRounds && rounds.length === referenceRounds.length) {
    const ratios = rounds
      .map((rps, k) => rps / (referenceRounds[k] ?? 0))
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    return ratios[Math.floor((ratios.length - 1) / 2)];
  }
  return reference.result.rps > 0 ? row.result.rps / reference.result.rps : undefined;
}

/** One performance target of issue 11, checked on the ratios of one run. */
export interface TargetCheck {
  name: string;
  /** The row whose ratio is checked. */
  rowId: string;
  /** The least ratio that meets the target. */
  min: number;
  /** The ratio measured; undefined when the run did not measure the row or its baseline. */
  ratio?: number;
}

const targets: { name: string; rowId: string; min: number; ratioOf: (row: MeasuredRow) => number | undefined }[] = [
  { name: "gRPC no-op vs plain grpc-js", rowId: "health/grpc", min: 0.7, ratioOf: (row) => row.vsGrpcJs },
  {
    name: "REST CreateBooking (full durability) vs REST no-op",
    rowId: "create-fresh/rest",
    min: 0.5,
    ratioOf: (row) => row.vsBaseline,
  },
  {
    name: "REST BatchAvailabilityLookup, 100 slots, vs REST no-op",
    rowId: "batch-lookupx100/rest",
    min: 0.4,
    ratioOf: (row) => row.vsBaseline,
  },
  {
    name: "gRPC BatchAvailabilityLookup, 100 slots, vs gRPC no-op",
    rowId: "batch-lookupx100/grpc",
    min: 0.4,
    ratioOf: (row) => row.vsBaseline,
  },
  {
    name: "REST ListBookings, user with 100, vs REST no-op",
    rowId: "list-bookings/rest",
    min: 0.4,
    ratioOf: (row) => row.vsBaseline,
  },
  {
    name: "gRPC ListBookings, user with 100, vs gRPC no-op",
    rowId: "list-bookings/grpc",
    min: 0.4,
    ratioOf: (row) => row.vsBaseline,
  },
];

/** The targets of issue 11 against the rows of one run (ratios of median rounds). */
export function checkTargets(rows: MeasuredRow[]): TargetCheck[] {
  return targets.map(({ name, rowId, min, ratioOf }) => {
    const row = rows.find((candidate) => candidate.id === rowId);
    const ratio = row && !row.result.skipped ? ratioOf(row) : undefined;
    return { name, rowId, min, ...(ratio === undefined ? {} : { ratio }) };
  });
}

/** Writes the report as a timestamped JSON file and returns its path. */
export function writeBenchReport(report: BenchReport, outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `${report.startedAt.replace(/[:.]/g, "-")}.json`);
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}
