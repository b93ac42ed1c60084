import type { Exchange } from "./booking-client.js";
import type { CheckResult, ConformanceReport, RunInfo, RunListener } from "./conformance-report.js";

/** Where reporters write; `process.stdout` fits, and tests pass a collector. */
export interface OutputStream {
  write(text: string): unknown;
}

// Bodies longer than this are cut in the text report; --json keeps them whole.
const maxBodyChars = 1200;

/** A listener that prints progress and results like a test runner, ending in `N passed, N failed`. */
export function createTextReporter(out: OutputStream): RunListener {
  const line = (text: string) => out.write(`${text}\n`);
  return {
    runStarted(info: RunInfo) {
      line(`booking-server conformance: ${info.target} over ${info.protocol} (run ${info.runId})`);
      if (info.feed) {
        line(
          `feed ${info.feed}: ${info.feedSlots} slots with open spots start in ${info.leadTimeSec} s or later; per-slot checks use up to ${info.slotCount}`,
        );
      }
    },
    checkStarted(name: string) {
      line(`▶ ${name} …`);
    },
    checkFinished(result: CheckResult) {
      for (const text of formatResult(result)) line(text);
    },
    runFinished(report: ConformanceReport) {
      const { cancelled, alreadyCancelled, failed } = report.cleanup;
      const already = alreadyCancelled > 0 ? ` (${alreadyCancelled} more were cancelled by the checks)` : "";
      line(`cleanup: cancelled ${cancelled.length} bookings made by this run${already}`);
      for (const { bookingId, reason } of failed) line(`cleanup: could not cancel booking ${bookingId}: ${reason}`);
      if (report.skipped > 0) {
        const names = report.checks.filter((c) => c.status === "skipped").map((c) => c.name);
        line(`${report.skipped} skipped (${names.join(", ")})`);
      }
      line(`${report.passed} passed, ${report.failed} failed`);
    },
  };
}

/** The lines for one finished check: a verdict line, then indented notes and failure details. */
export function formatResult(result: CheckResult): string[] {
  const took = `(${result.durationMs} ms)`;
  const indent = (text: string) => `      ${text}`;
  if (result.status === "skipped") {
    return [
      `○ ${result.name} skipped ${took}: ${result.skipReason ?? ""}`,
      ...result.notes.map((n) => indent(`· ${n}`)),
    ];
  }
  if (result.status === "passed") return [`✓ ${result.name} ${took}`, ...result.notes.map((n) => indent(`· ${n}`))];
  const failure = result.failure;
  const lines = [`✗ ${result.name} ${took}`, indent(failure?.message ?? "failed")];
  if (failure?.expected) lines.push(indent(`expected: ${failure.expected}`));
  if (failure?.exchange) lines.push(...formatExchange(failure.exchange).map(indent));
  lines.push(...result.notes.map((n) => indent(`· ${n}`)));
  return lines;
}

/** `sent:` and `received:` lines for an exchange, bodies as compact JSON. */
export function formatExchange(exchange: Exchange): string[] {
  const sent = exchange.request === undefined ? "" : ` ${body(exchange.request)}`;
  const received = exchange.response === undefined ? "" : ` ${body(exchange.response)}`;
  const ms = Math.round(exchange.durationMs);
  return [`sent:     ${exchange.call}${sent}`, `received: ${exchange.status}${received} (${ms} ms)`];
}

function body(value: unknown): string {
  // Bodies that were not JSON are shown as sent or received, not as a quoted JSON string.
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return text.length > maxBodyChars
    ? `${text.slice(0, maxBodyChars)}… (${text.length - maxBodyChars} more chars)`
    : text;
}
