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

/**
 * Runs every throughput row `repeat` times, round-robin, and keeps each row's median round: the
 * grpc-js ceiling on its own server, then ours (one process, one database, for all rounds).
 */
export async function runThroughputPhase(ctx: BenchContext): Promise<MeasuredRow[]> {
  const { options } = ctx;
  const rows = benchScenarios(options);
  const cancelRows = rows.filter((row) => row.pool === "cancel");
  const perCancelRow = Math.ceil((options.warmupSec + options.durationSec) * maxRowRate);
  const dbPath = join(ctx.tmpDir, "throughput.db");
  const seeded = performance.now();
  const cancelPool = perCancelRow * cancelRows.length * options.repeat;
  seedDatabase(dbPath, ctx.inventory, { cancelPool, listUsers }, ctx.nowSec);
  ctx.log(`seeded ${dbPath} in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

  // Every round of every row gets its own tokens, users and never-cancelled bookings.
  const planOf = (row: ScenarioRow, round: number): RequestPlan => {
    const slice = round * cancelRows.length + cancelRows.indexOf(row);
    const pool =
      row.pool === "cancel"
        ? { poolStart: slice * perCancelRow, poolSize: perCancelRow }
        : row.pool === "list-bookings"
          ? { poolStart: 0, poolSize: listUsers * bookingsPerListUser }
          : row.pool === "list-users"
            ? { poolStart: 0, poolSize: listUsers }
            : {};
    return {
      kind: row.kind,
      inventory: ctx.inventory,
      tag: `${ctx.runTag}-${rows.indexOf(row)}-${round}`,
      ...(row.slotTimes ? { slotTimes: row.slotTimes } : {}),
      ...pool,
    };
  };

  const rounds = new Map<ScenarioRow, MeasuredRow[]>(rows.map((row) => [row, []]));
  const run = async (row: ScenarioRow, round: number, target: string, cpuMs: () => number): Promise<void> => {
    const cpuBefore = cpuMs();
    const result = await runLoadJob(ctx.group, {
      protocol: row.protocol,
      target,
      authorization: ctx.authorization,
      concurrency: row.concurrency,
      warmupSec: options.warmupSec,
      durationSec: options.durationSec,
      plan: planOf(row, round),
    });
    const serverCpuUs = ((cpuMs() - cpuBefore) * 1000) / Math.max(1, result.totalRequests);
    rounds.get(row)?.push({ ...row, result, ...(result.skipped ? {} : { serverCpuUs }) });
    const label = options.repeat > 1 ? `${row.id} #${round + 1}` : row.id;
    ctx.log(`  ${label.padEnd(36)} ${describe(result)}, server ${serverCpuUs.toFixed(0)} µs/req`);
  };

  const ceilingRows = rows.filter((row) => row.server === "grpc-js");
  const server = await startServerProcess(ctx.group, {
    dbPath,
    credentialsFile: ctx.credentialsFile,
    authorization: ctx.authorization,
    logLevel: options.logLevel,
    ...(ctx.profileDir ? { cpuProfileDir: ctx.profileDir } : {}),
  });
  ctx.log(`booking-server pid ${server.pid} on ${server.url} (ready in ${server.coldStartMs.toFixed(0)} ms)`);
  try {
    for (let round = 0; round < options.repeat; round++) {
      if (ceilingRows.length > 0) {
        const ceiling = await startListeningChild(ctx.group, "grpc-js-server.ts", []);
        try {
          for (const row of ceilingRows) await run(row, round, ceiling.url, () => readCpuMs(ceiling.pid));
        } finally {
          await ceiling.stop();
        }
      }
      for (const row of rows) if (row.server === "booking") await run(row, round, server.url, server.cpuMs);
    }
  } finally {
    await server.stop();
  }
  const medians = rows.map((row) => medianRound(rounds.get(row) ?? []));
  const measured = medians.filter((m) => m !== undefined);
  compareWithBaselines(measured);
  return measured;
}

/** The round with the median req/s, with every round's req/s kept alongside. */
function medianRound(list: MeasuredRow[]): MeasuredRow | undefined {
  const sorted = [...list].sort((a, b) => a.result.rps - b.result.rps);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  return median && list.length > 1 ? { ...median, roundsRps: list.map((m) => Math.round(m.result.rps)) } : median;
}

function describe(result: LoadResult): string {
  if (result.skipped) return `skipped (${result.skipped})`;
  const errors = result.errors > 0 ? `, ${result.errors} errors (${result.firstError})` : "";
  const rate = `${Math.round(result.rps)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms`;
  return `${rate}, client ${result.clientCpuUs.toFixed(0)} µs/req${errors}`;
}
