import type { ConformanceReport } from "./conformance-report.js";
import { formatExchange } from "./text-reporter.js";

/** The report as JUnit XML: one testsuite, one testcase per check, failures and skips with details. */
export function formatJunitReport(report: ConformanceReport): string {
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const suite = `booking-server conformance (${report.protocol})`;
  const cases = report.checks.map((check) => {
    const open = `    <testcase name="${attr(check.name)}" classname="conformance.${attr(report.protocol)}" time="${seconds(check.durationMs)}"`;
    const out = check.notes.length > 0 ? [`      <system-out>${escapeXml(check.notes.join("\n"))}</system-out>`] : [];
    if (check.status === "passed") return out.length ? [`${open}>`, ...out, "    </testcase>"].join("\n") : `${open}/>`;
    if (check.status === "skipped") {
      return [`${open}>`, `      <skipped message="${attr(check.skipReason ?? "")}"/>`, ...out, "    </testcase>"].join(
        "\n",
      );
    }
    const failure = check.failure;
    const details = [
      failure?.message ?? "failed",
      ...(failure?.expected ? [`expected: ${failure.expected}`] : []),
      ...(failure?.exchange ? formatExchange(failure.exchange) : []),
    ].join("\n");
    return [
      `${open}>`,
      `      <failure message="${attr(failure?.message ?? "failed")}" type="ConformanceFailure">${escapeXml(details)}</failure>`,
      ...out,
      "    </testcase>",
    ].join("\n");
  });
  const counts = `tests="${report.checks.length}" failures="${report.failed}" errors="0" skipped="${report.skipped}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${attr(suite)}" ${counts} time="${seconds(report.durationMs)}">`,
    `  <testsuite name="${attr(suite)}" ${counts} time="${seconds(report.durationMs)}" timestamp="${attr(report.startedAt)}">`,
    "    <properties>",
    `      <property name="target" value="${attr(report.target)}"/>`,
    `      <property name="protocol" value="${attr(report.protocol)}"/>`,
    `      <property name="run_id" value="${attr(report.runId)}"/>`,
    "    </properties>",
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}

/** Escapes text for XML element content, dropping characters XML 1.0 cannot carry. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

// Attribute values are whitespace-normalised by XML parsers, so line breaks must be character references.
function attr(text: string): string {
  return escapeXml(text).replace(/\n/g, "&#10;").replace(/\r/g, "&#13;").replace(/\t/g, "&#9;");
}
