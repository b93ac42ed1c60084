import { join } from "node:path";
import type { BenchContext } from "./bench-context.js";
import { bookingsPerListUser } from "./bench-inventory.js";
import { compareWithBaselines, type MeasuredRow } from "./bench-report.js";
import { benchScenarios, type ScenarioRow } from "./bench-scenarios.js";
import { startListeningChild } from "./listening-child.js";
import { type LoadResult, runLoadJob } from "./load-job.js";
import type { RequestPlan } from "./request-source.js";
import { seedDatabase } from "./seed-database.js";
import { readCpuMs, startServerProcess } from "./server-process.js";

const listUsers = 100;
// Generous upper bound of one row's request rate: each cancel row gets its own never-cancelled bookings.
const maxRowRate = 12_000;

/** Runs every throughput row: the grpc-js ceiling on its own server first, then ours on one database. */
export async function runThroughputPhase(ctx: BenchContext): Promise<MeasuredRow[]> {
  const { options } = ctx;
  const rows = benchScenarios(options);
  const cancelRows = rows.filter((row) => row.pool === "cancel");
  const perCancelRow = Math.ceil((options.warmupSec + options.durationSec) * maxRowRate);
  const dbPath = join(ctx.tmpDir, "throughput.db");
  const seeded = performance.now();
  seedDatabase(dbPath, ctx.inventory, { cancelPool: perCancelRow * cancelRows.length, listUsers }, ctx.nowSec);
  ctx.log(`seeded ${dbPath} in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

  const plans = new Map<ScenarioRow, RequestPlan>();
  rows.forEach((row, index) => {
    const pool =
      row.pool === "cancel"
        ? { poolStart: cancelRows.indexOf(row) * perCancelRow, poolSize: perCancelRow }
        : row.pool === "list-bookings"
          ? { poolStart: 0, poolSize: listUsers * bookingsPerListUser }
          : row.pool === "list-users"
            ? { poolStart: 0, poolSize: listUsers }
            : {};
    plans.set(row, {
      kind: row.kind,
      inventory: ctx.inventory,
      tag: `${ctx.runTag}-${index}`,
      ...(row.slotTimes ? { slotTimes: row.slotTimes } : {}),
      ...pool,
    });
  });

  const measured: MeasuredRow[] = [];
  const run = async (row: ScenarioRow, target: string, cpuMs: () => number): Promise<void> => {
    const cpuBefore = cpuMs();
    const result = await runLoadJob(ctx.group, {
      protocol: row.protocol,
      target,
      authorization: ctx.authorization,
      concurrency: row.concurrency,
      warmupSec: options.warmupSec,
      durationSec: options.durationSec,
      plan: plans.get(row) as RequestPlan,
    });
    const serverCpuUs = ((cpuMs() - cpuBefore) * 1000) / Math.max(1, result.totalRequests);
    measured.push({ ...row, result, ...(result.skipped ? {} : { serverCpuUs }) });
    ctx.log(`  ${row.id.padEnd(36)} ${describe(result)}, server ${serverCpuUs.toFixed(0)} µs/req`);
  };

  const ceilingRows = rows.filter((row) => row.server === "grpc-js");
  if (ceilingRows.length > 0) {
    const ceiling = await startListeningChild(ctx.group, "grpc-js-server.ts", []);
    try {
      for (const row of ceilingRows) await run(row, ceiling.url, () => readCpuMs(ceiling.pid));
    } finally {
      await ceiling.stop();
    }
  }

  const server = await startServerProcess(ctx.group, {
    dbPath,
    credentialsFile: ctx.credentialsFile,
    authorization: ctx.authorization,
    logLevel: options.logLevel,
    ...(ctx.profileDir ? { cpuProfileDir: ctx.profileDir } : {}),
  });
  ctx.log(`booking-server pid ${server.pid} on ${server.url} (ready in ${server.coldStartMs.toFixed(0)} ms)`);
  try {
    for (const row of rows) if (row.server === "booking") await run(row, server.url, server.cpuMs);
  } finally {
    await server.stop();
  }
  const ordered = rows.map((row) => measured.find((m) => m.id === row.id)).filter((m) => m !== undefined);
  compareWithBaselines(ordered);
  return ordered;
}

function describe(result: LoadResult): string {
  if (result.skipped) return `skipped (${result.skipped})`;
  const errors = result.errors > 0 ? `, ${result.errors} errors (${result.firstError})` : "";
  const rate = `${Math.round(result.rps)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms`;
  return `${rate}, client ${result.clientCpuUs.toFixed(0)} µs/req${errors}`;
}
