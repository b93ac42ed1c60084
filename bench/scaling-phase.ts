import type { BenchBackend } from "./bench-backend.js";
import type { BenchContext } from "./bench-context.js";
import type { ScalingPoint } from "./bench-report.js";
import { runLoadJob } from "./load-job.js";
import type { RequestKind } from "./request-source.js";
import { startServerProcess } from "./server-process.js";

/** Calls in flight while measuring latency against size: one, so the figures are service times. */
export const scalingConcurrency = 1;

/**
 * Grows one database through the requested booking counts (straight into a SQLite file; through the
 * storage ports on PostgreSQL, which is slower to seed). At each size a fresh server process is
 * started (cold start measured to its first HealthCheck), CreateBooking and a 1,000-slot
 * BatchAvailabilityLookup are timed over REST, and the server's RSS is read.
 */
export async function runScalingPhase(ctx: BenchContext, backend: BenchBackend): Promise<ScalingPoint[]> {
  const { options } = ctx;
  const db = await backend.createDatabase("scaling");
  await backend.seed(db, ctx.inventory, { cancelPool: 0, listUsers: 0 }, ctx.nowSec);
  const points: ScalingPoint[] = [];
  let seededBookings = 0;
  for (const size of options.scalingSizes) {
    const seedStarted = performance.now();
    await backend.seedBulk(db, ctx.inventory, seededBookings, size, ctx.nowSec);
    seededBookings = Math.max(seededBookings, size);
    const seedMs = performance.now() - seedStarted;
    const server = await startServerProcess(ctx.group, {
      db,
      credentialsFile: ctx.credentialsFile,
      authorization: ctx.authorization,
      logLevel: options.logLevel,
    });
    try {
      const measure = (kind: RequestKind, slotTimes?: number) =>
        runLoadJob(ctx.group, {
          protocol: "rest",
          targets: [server.url],
          authorization: ctx.authorization,
          concurrency: scalingConcurrency,
          warmupSec: Math.min(1, options.warmupSec),
          durationSec: options.scalingDurationSec,
          plan: {
            kind,
            inventory: ctx.inventory,
            tag: `${ctx.runTag}-scale-${size}-${kind}`,
            ...(slotTimes ? { slotTimes } : {}),
          },
        });
      const createBooking = await measure("create-fresh");
      const batchLookup = await measure("batch-lookup", 1000);
      const point: ScalingPoint = {
        bookings: size,
        coldStartMs: server.coldStartMs,
        rssMb: server.rssKb() / 1024,
        seedMs,
        createBooking,
        batchLookup,
      };
      points.push(point);
      ctx.log(
        `  ${size.toLocaleString("en-US").padStart(10)} bookings: cold start ${point.coldStartMs.toFixed(0)} ms, ` +
          `RSS ${point.rssMb.toFixed(0)} MiB, CreateBooking p99 ${createBooking.p99Ms.toFixed(2)} ms, ` +
          `lookup p99 ${batchLookup.p99Ms.toFixed(2)} ms`,
      );
    } finally {
      await server.stop();
    }
  }
  return points;
}
