// `npm run bench [-- options]`: measures every hot path of booking-server against same-run baselines.
import { execFileSync } from "node:child_process";
import { startBenchBackend } from "./bench-backend.js";
import { createBenchContext } from "./bench-context.js";
import { benchUsage, parseBenchOptions } from "./bench-options.js";
import { type BenchReport, machineInfo, writeBenchReport } from "./bench-report.js";
import { createChildGroup } from "./child-group.js";
import { formatReport } from "./format-report.js";
import { runScalingPhase } from "./scaling-phase.js";
import { runThroughputPhase } from "./throughput-phase.js";

function gitDescription(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "bin"], { encoding: "utf8" }).trim();
    return dirty ? `${head} (src modified)` : head;
  } catch {
    return "unknown";
  }
}

async function main(): Promise<number> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (!options) {
    process.stdout.write(benchUsage);
    return 0;
  }
  const group = createChildGroup();
  group.installExitHandlers();
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const machine = machineInfo();
  const ctx = createBenchContext(options, group, startedAt);
  // Also on SIGINT, which exits without unwinding to the finally below.
  process.once("exit", () => ctx.dispose());
  try {
    ctx.log(`bench: ${options.quick ? "quick" : "full"} run, temporary files in ${ctx.tmpDir}`);
    // Stopped (and its files removed) below, or at exit / SIGINT by the backend's own exit handler.
    const backend = await startBenchBackend(options.backend, ctx.tmpDir);
    ctx.log(`bench: ${backend.description}`);
    let rows: BenchReport["rows"];
    let scaling: BenchReport["scaling"];
    try {
      rows = await runThroughputPhase(ctx, backend);
      scaling = options.scalingSizes.length > 0 && !options.only ? await runScalingPhase(ctx, backend) : [];
    } finally {
      group.killAll();
      await backend.stop();
    }
    const { only, ...rest } = options;
    const report: BenchReport = {
      startedAt,
      label: options.label,
      git: gitDescription(),
      machine,
      options: { ...rest, ...(only ? { only: only.source } : {}) },
      backend: backend.name,
      inventory: {
        merchants: options.merchants,
        slotsPerMerchant: options.slotsPerMerchant,
        slots: options.merchants * options.slotsPerMerchant,
      },
      rows,
      scaling,
      durationSec: Math.round((performance.now() - started) / 100) / 10,
    };
    process.stdout.write(`\n${formatReport(report)}`);
    const path = writeBenchReport(report, options.outDir);
    process.stdout.write(`\nresults written to ${path} (${report.durationSec} s)\n`);
    if (ctx.profileDir) process.stdout.write(`server CPU profiles in ${ctx.profileDir}\n`);
    return 0;
  } finally {
    group.killAll();
    ctx.dispose();
  }
}

process.exitCode = await main();
