// `npm run bench:compare -- BEFORE.json AFTER.json`: two runs of `npm run bench` side by side, row by
// row (median rounds), with each run's ratios and the targets of both.
import { readFileSync } from "node:fs";
import { type BenchReport, checkTargets, compareWithBaselines, type MeasuredRow } from "./bench-report.js";

const int = (n: number | undefined): string => (n === undefined ? "" : Math.round(n).toLocaleString("en-US"));
const pct = (n: number | undefined): string => (n === undefined ? "" : `${(n * 100).toFixed(0)} %`);
const change = (before: number | undefined, after: number | undefined): string =>
  before && after ? `${after >= before ? "+" : ""}${(((after - before) / before) * 100).toFixed(0)} %` : "";

/** The ratio a row is judged by: to its no-op, or (ceilings) to nothing. */
const ratioOf = (row: MeasuredRow | undefined): number | undefined =>
  row?.baseline ? 1 : (row?.vsBaseline ?? undefined);

function main(): number {
  const [beforePath, afterPath] = process.argv.slice(2);
  if (!beforePath || !afterPath) {
    process.stderr.write("usage: npm run bench:compare -- BEFORE.json AFTER.json\n");
    return 2;
  }
  const before = JSON.parse(readFileSync(beforePath, "utf8")) as BenchReport;
  const after = JSON.parse(readFileSync(afterPath, "utf8")) as BenchReport;
  // Ratios as this version of the bench computes them, whichever version wrote the file.
  compareWithBaselines(before.rows);
  compareWithBaselines(after.rows);
  const ids = [...new Set([...before.rows.map((row) => row.id), ...after.rows.map((row) => row.id)])];
  const header = [
    "row",
    "req/s before",
    "req/s after",
    "change",
    "srv µs before",
    "srv µs after",
    "vs no-op before",
    "vs no-op after",
    "vs node:http / grpc-js before",
    "after",
  ];
  const lines = ids.map((id) => {
    const b = before.rows.find((row) => row.id === id);
    const a = after.rows.find((row) => row.id === id);
    return [
      id,
      int(b?.result.rps),
      int(a?.result.rps),
      change(b?.result.rps, a?.result.rps),
      int(b?.serverCpuUs),
      int(a?.serverCpuUs),
      pct(ratioOf(b)),
      pct(ratioOf(a)),
      pct(b?.vsNodeHttp ?? b?.vsGrpcJs),
      pct(a?.vsNodeHttp ?? a?.vsGrpcJs),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => (line[i] ?? "").length)));
  const render = (cells: string[]): string =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ");
  const out = [
    `before: ${before.startedAt} ${before.git} load ${before.machine.loadAverageAtStart[0]} ${before.label}`,
    `after:  ${after.startedAt} ${after.git} load ${after.machine.loadAverageAtStart[0]} ${after.label}`,
    "",
    render(header),
    render(widths.map((w) => "-".repeat(w))),
    ...lines.map(render),
    "",
  ];
  const afterChecks = checkTargets(after.rows);
  for (const [i, check] of checkTargets(before.rows).entries()) {
    const now = afterChecks[i];
    if (check.ratio === undefined && now?.ratio === undefined) continue;
    const met = (now?.ratio ?? 0) >= check.min ? "met" : "NOT met";
    out.push(`target  ${check.name}: ${pct(check.ratio)} -> ${pct(now?.ratio)} (≥ ${pct(check.min)}) ${met}`);
  }
  process.stdout.write(`${out.join("\n")}\n`);
  return 0;
}

process.exitCode = main();
