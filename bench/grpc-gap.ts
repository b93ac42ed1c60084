// `npm run bench:grpc-gap`: where a gRPC call's time goes, transport by transport, on the no-op.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createBenchInventory } from "./bench-inventory.js";
import { machineInfo } from "./bench-report.js";
import { createChildGroup } from "./child-group.js";
import { startListeningChild } from "./listening-child.js";
import { type LoadResult, runLoadJob } from "./load-job.js";
import { readCpuMs } from "./server-process.js";

const variants = [
  { name: "grpc-js", entry: "grpc-js-server.ts", about: "plain @grpc/grpc-js server (the ceiling)" },
  { name: "connect-bare", entry: "gap-server.ts", about: "connect-node, no interceptors" },
  { name: "fast-bare", entry: "gap-server.ts", about: "fast path, no interceptors" },
  { name: "connect", entry: "gap-server.ts", about: "createServer, connect-node path, full chain" },
  { name: "fast", entry: "gap-server.ts", about: "createServer, fast path, full chain (what ships)" },
];

interface Sample {
  result: LoadResult;
  serverCpuUs: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      rounds: { type: "string", default: "3" },
      duration: { type: "string", default: "4" },
      warmup: { type: "string", default: "1" },
      concurrency: { type: "string", default: "50" },
    },
  });
  const group = createChildGroup();
  group.installExitHandlers();
  const startedAt = new Date().toISOString();
  const machine = machineInfo();
  const credential = "bench:gap-password";
  const authorization = `Basic ${Buffer.from(credential).toString("base64")}`;
  const samples = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
  try {
    // Rounds interleave the variants, so a neighbour's load on a shared machine hits them all alike.
    for (let round = 1; round <= Number(values.rounds); round++) {
      for (const variant of variants) {
        const args = variant.entry === "gap-server.ts" ? [variant.name, credential] : [];
        const server = await startListeningChild(group, variant.entry, args);
        try {
          const cpuBefore = readCpuMs(server.pid);
          const result = await runLoadJob(group, {
            protocol: "grpc",
            targets: [server.url],
            authorization,
            concurrency: Number(values.concurrency),
            warmupSec: Number(values.warmup),
            durationSec: Number(values.duration),
            plan: { kind: "health", inventory: createBenchInventory(1, 1, 0), tag: `gap-${round}` },
          });
          const serverCpuUs = ((readCpuMs(server.pid) - cpuBefore) * 1000) / Math.max(1, result.totalRequests);
          samples.get(variant.name)?.push({ result, serverCpuUs });
          process.stderr.write(
            `round ${round} ${variant.name.padEnd(13)} ${Math.round(result.rps)} req/s, ` +
              `p50 ${result.p50Ms.toFixed(2)} ms, server ${serverCpuUs.toFixed(0)} µs/req, errors ${result.errors}\n`,
          );
        } finally {
          await server.stop();
        }
      }
    }
  } finally {
    group.killAll();
  }
  const ceiling = median(samples.get("grpc-js")?.map((s) => s.result.rps) ?? []);
  const rows = variants.map((variant) => {
    const list = samples.get(variant.name) ?? [];
    const rps = median(list.map((s) => s.result.rps));
    return [
      variant.name,
      variant.about,
      Math.round(rps).toLocaleString("en-US"),
      median(list.map((s) => s.result.p50Ms)).toFixed(2),
      median(list.map((s) => s.result.p99Ms)).toFixed(2),
      median(list.map((s) => s.serverCpuUs)).toFixed(0),
      median(list.map((s) => s.result.clientCpuUs)).toFixed(0),
      ceiling ? `${((100 * rps) / ceiling).toFixed(0)} %` : "",
    ];
  });
  const header = ["variant", "what", "req/s", "p50 ms", "p99 ms", "server µs/req", "client µs/req", "vs grpc-js"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  process.stdout.write(`\ngRPC no-op (HealthCheck), medians of ${values.rounds} rounds, c=${values.concurrency}\n\n`);
  process.stdout.write(`${[line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")}\n`);
  const outDir = new URL("./results/", import.meta.url).pathname;
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `${startedAt.replace(/[:.]/g, "-")}-grpc-gap.json`);
  const report = { startedAt, machine, options: values, variants, samples: Object.fromEntries(samples) };
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\nresults written to ${path}\n`);
}

await main();
