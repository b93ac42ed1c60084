import type { ConformanceReport } from "./conformance-report.js";

/** Identifies the shape of the `--json` report, so consumers can tell versions apart. */
export const jsonReportFormat = "booking-server-conformance/1";

/** The machine-readable report `--json` prints: the whole run, one JSON document. */
export function formatJsonReport(report: ConformanceReport): string {
  return `${JSON.stringify({ format: jsonReportFormat, ...report }, null, 2)}\n`;
}
