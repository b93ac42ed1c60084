import type { BenchBackend } from "./bench-backend.js";
import type { BenchContext } from "./bench-context.js";
import { bookingsPerListUser } from "./bench-inventory.js";
import { compareWithBaselines, type MeasuredRow } from "./bench-report.js";
import { type BenchServer, benchScenarios, type ScenarioRow } from "./bench-scenarios.js";
import { startListeningChild } from "./listening-child.js";
import { type LoadResult, runLoadJob } from "./load-job.js";
import type { RequestPlan } from "./request-source.js";
import { readCpuMs, type ServerProcess, startServerProcess } from "./server-process.js";

const listUsers = 100;
/** The entry (in bench/) of each ceiling server. */
const ceilingEntries: Record<Exclude<BenchServer, "booking">, string> = {
  "grpc-js": "grpc-js-server.ts",
  "node-http": "node-http-server.ts",
};
// Generous upper bound of one row's request rate: each cancel row gets its own never-cancelled bookings.
const maxRowRate = 12_000;

/**
 * Runs every throughput row `repeat` times, round-robin, and keeps each row's median round: the
 * grpc-js ceiling on its own server, then ours (one process, one database, for all rounds; rows with
 * two replicas add a second process on the same database, started once and idle during the others).
 */
export async function runThroughputPhase(ctx: BenchContext, backend: BenchBackend): Promise<MeasuredRow[]> {
  const { options } = ctx;
  const rows = benchScenarios(options);
  const cancelRows = rows.filter((row) => row.pool === "cancel");
  const perCancelRow = Math.ceil((options.warmupSec + options.durationSec) * maxRowRate);
  const db = await backend.createDatabase("throughput");
  const seeded = performance.now();
  const cancelPool = perCancelRow * cancelRows.length * options.repeat;
  await backend.seed(db, ctx.inventory, { cancelPool, listUsers }, ctx.nowSec);
  ctx.log(`seeded ${redacted(db)} in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

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
  const run = async (row: ScenarioRow, round: number, targets: string[], cpuMs: () => number): Promise<void> => {
    const dbCpuMs = row.server === "booking" ? backend.cpuMs : undefined;
    const cpuBefore = cpuMs();
    const dbBefore = dbCpuMs?.() ?? 0;
    const result = await runLoadJob(ctx.group, {
      protocol: row.protocol,
      targets,
      authorization: ctx.authorization,
      concurrency: row.concurrency,
      warmupSec: options.warmupSec,
      durationSec: options.durationSec,
      plan: planOf(row, round),
      ...(row.server === "node-http" ? { bareHttp: true } : {}),
    });
    const perRequest = (ms: number): number => (ms * 1000) / Math.max(1, result.totalRequests);
    const serverCpuUs = perRequest(cpuMs() - cpuBefore);
    const dbCpuUs = dbCpuMs ? perRequest(dbCpuMs() - dbBefore) : undefined;
    const cpu = result.skipped ? {} : { serverCpuUs, ...(dbCpuUs === undefined ? {} : { dbCpuUs }) };
    rounds.get(row)?.push({ ...row, result, ...cpu });
    const label = options.repeat > 1 ? `${row.id} #${round + 1}` : row.id;
    const db = dbCpuUs === undefined ? "" : `, database ${dbCpuUs.toFixed(0)} µs/req`;
    ctx.log(`  ${label.padEnd(36)} ${describe(result)}, server ${serverCpuUs.toFixed(0)} µs/req${db}`);
  };

  const ceilingRows = rows.filter((row) => row.server !== "booking");
  const replicas = Math.max(1, ...rows.map((row) => row.replicas));
  const servers: ServerProcess[] = [];
  try {
    // One after the other: the first applies the migrations, the next finds them applied.
    while (servers.length < replicas) {
      const server = await startServerProcess(ctx.group, {
        db,
        credentialsFile: ctx.credentialsFile,
        authorization: ctx.authorization,
        logLevel: options.logLevel,
        ...(ctx.profileDir ? { cpuProfileDir: ctx.profileDir } : {}),
      });
      servers.push(server);
      ctx.log(`booking-server pid ${server.pid} on ${server.url} (ready in ${server.coldStartMs.toFixed(0)} ms)`);
    }
    for (let round = 0; round < options.repeat; round++) {
      // Each ceiling in its own process, started for its row and stopped before anything else runs.
      for (const row of ceilingRows) {
        if (row.server === "booking") continue;
        const ceiling = await startListeningChild(ctx.group, ceilingEntries[row.server], []);
        try {
          await run(row, round, [ceiling.url], () => readCpuMs(ceiling.pid));
        } finally {
          await ceiling.stop();
        }
      }
      for (const row of rows) {
        if (row.server !== "booking") continue;
        const serving = servers.slice(0, row.replicas);
        const cpuMs = () => serving.reduce((sum, server) => sum + server.cpuMs(), 0);
        await run(
          row,
          round,
          serving.map((server) => server.url),
          cpuMs,
        );
      }
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
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

/** A database for the log: a file path as is, a URL without its password. */
export function redacted(db: string): string {
  return db.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
