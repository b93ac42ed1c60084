import { type BenchReport, checkTargets, type MeasuredRow, type ScalingPoint } from "./bench-report.js";

const int = (n: number): string => Math.round(n).toLocaleString("en-US");
const ms = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const ratio = (n: number | undefined): string => (n === undefined ? "" : `${(n * 100).toFixed(0)} %`);

function table(header: string[], rows: string[][], rightAligned: Set<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

function protocolLabel(row: MeasuredRow): string {
  if (row.server === "grpc-js") return "grpc (grpc-js srv)";
  if (row.server === "node-http") return "rest (node:http)";
  return row.protocol;
}

/**
 * The throughput table: one line per row, ratios against the same-run no-op baselines. A `repl` column
 * appears when some row ran on several replicas, a `db µs/req` one when the database is its own server.
 */
export function formatThroughputTable(rows: MeasuredRow[]): string {
  const withReplicas = rows.some((row) => row.replicas > 1);
  const withDb = rows.some((row) => row.dbCpuUs !== undefined);
  const header = [
    "scenario",
    "protocol",
    ...(withReplicas ? ["repl"] : []),
    "conc",
    "req/s",
    "p50 ms",
    "p99 ms",
    "errors",
    "srv µs/req",
    ...(withDb ? ["db µs/req"] : []),
    "vs no-op",
    "vs grpc-js",
    "vs node:http",
    "vs same on node:http",
  ];
  const lines = rows.map((row) => {
    const r = row.result;
    const lead = [row.scenario, protocolLabel(row), ...(withReplicas ? [String(row.replicas)] : [])];
    if (r.skipped) return [...lead, String(row.concurrency), "skipped: not implemented"];
    return [
      ...lead,
      String(row.concurrency),
      int(r.rps),
      ms(r.p50Ms),
      ms(r.p99Ms),
      int(r.errors),
      row.serverCpuUs === undefined ? "" : int(row.serverCpuUs),
      ...(withDb ? [row.dbCpuUs === undefined ? "" : int(row.dbCpuUs)] : []),
      row.baseline ? "baseline" : ratio(row.vsBaseline),
      ratio(row.vsGrpcJs),
      ratio(row.vsNodeHttp),
      ratio(row.vsNodeHttpSame),
    ];
  });
  const right = new Set(header.map((_, i) => i).filter((i) => i >= 2));
  return table(header, lines, right);
}

function latency(result: ScalingPoint["createBooking"]): string {
  if (!result) return "-";
  if (result.skipped) return "skipped";
  const errors = result.errors > 0 ? ` (${int(result.errors)} err)` : "";
  return `${ms(result.p50Ms)} / ${ms(result.p99Ms)}${errors}`;
}

/** The scaling table: per database size, cold start, memory and the two latency-sensitive RPCs. */
export function formatScalingTable(points: ScalingPoint[], concurrency: number): string {
  const header = [
    "bookings",
    "seed s",
    "cold start ms",
    "RSS MiB",
    `CreateBooking p50 / p99 ms (c=${concurrency})`,
    `Lookup 1,000 p50 / p99 ms (c=${concurrency})`,
  ];
  const lines = points.map((p) => [
    int(p.bookings),
    (p.seedMs / 1000).toFixed(1),
    int(p.coldStartMs),
    int(p.rssMb),
    latency(p.createBooking),
    latency(p.batchLookup),
  ]);
  return table(header, lines, new Set([0, 1, 2, 3]));
}

/** One line per target of issue 11: the ratio measured, the target, met or not. */
export function formatTargetChecks(checks: ReturnType<typeof checkTargets>): string {
  const width = Math.max(...checks.map((check) => check.name.length));
  return checks
    .map((check) => {
      const met = (check.ratio ?? 0) >= check.min;
      return `target  ${check.name.padEnd(width)}  ${ratio(check.ratio).padStart(5)}  (≥ ${ratio(check.min)})  ${met ? "met" : "NOT met"}`;
    })
    .join("\n");
}

/** The whole report as text, with where notable errors came from. */
export function formatReport(report: BenchReport): string {
  const parts = [
    `booking-server bench — ${report.startedAt} — ${report.backend} — ` +
      `${report.machine.cpus} CPUs, node ${report.machine.node}, ` +
      `${report.inventory.merchants} merchants × ${report.inventory.slotsPerMerchant} slots, ` +
      `load average ${report.machine.loadAverageAtStart[0]} at start` +
      (report.options.repeat > 1 ? `, median of ${report.options.repeat} rounds` : "") +
      (report.label ? ` — ${report.label}` : ""),
    "",
    formatThroughputTable(report.rows),
  ];
  const checks = checkTargets(report.rows).filter((check) => check.ratio !== undefined);
  if (checks.length > 0) parts.push("", formatTargetChecks(checks));
  const failing = report.rows.filter((row) => row.result.firstError);
  for (const row of failing) parts.push(`  ${row.id}: ${row.result.firstError}`);
  if (report.scaling.length > 0) parts.push("", formatScalingTable(report.scaling, 1));
  return `${parts.join("\n")}\n`;
}
