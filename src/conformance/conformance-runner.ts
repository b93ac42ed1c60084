import type { BookingLedger } from "./booking-ledger.js";
import type { Check } from "./check.js";
import { CheckFailure, CheckSkipped, SetupError } from "./check.js";
import type { CheckResult, ConformanceReport, RunInfo, RunListener } from "./conformance-report.js";
import type { RunContext } from "./run-context.js";

type Verdict = Pick<CheckResult, "status" | "skipReason" | "failure">;

/**
 * Runs the checks one after another, reporting each to the listener, then cancels every booking the
 * run made; a check never stops the run.
 */
export async function runConformance(
  checks: readonly Check[],
  run: RunContext,
  ledger: BookingLedger,
  info: RunInfo,
  listener: RunListener,
): Promise<ConformanceReport> {
  const started = performance.now();
  const results: CheckResult[] = [];
  listener.runStarted(info);
  for (const check of checks) {
    listener.checkStarted(check.name);
    const notes: string[] = [];
    const { ctx, release } = run.forCheck((text) => notes.push(text));
    const checkStarted = performance.now();
    let verdict: Verdict;
    try {
      await check.run(ctx);
      verdict = { status: "passed" };
    } catch (error) {
      verdict = judge(error, check.name, results);
    } finally {
      release();
    }
    const result: CheckResult = {
      name: check.name,
      description: check.description,
      durationMs: Math.round(performance.now() - checkStarted),
      notes,
      ...verdict,
    };
    results.push(result);
    listener.checkFinished(result);
  }
  const cleanup = await ledger.cancelAll(run.client);
  const count = (status: CheckResult["status"]) => results.filter((r) => r.status === status).length;
  const report: ConformanceReport = {
    ...info,
    durationMs: Math.round(performance.now() - started),
    passed: count("passed"),
    failed: count("failed"),
    skipped: count("skipped"),
    checks: results,
    cleanup,
  };
  listener.runFinished(report);
  return report;
}

function judge(error: unknown, name: string, earlier: readonly CheckResult[]): Verdict {
  if (error instanceof SetupError) {
    if (error.owner === name) return judge(error.cause, name, earlier);
    const owner = earlier.find((result) => result.name === error.owner);
    // The owner already reported the problem; repeating it under every dependant would bury it.
    if (owner?.status === "failed") return { status: "skipped", skipReason: `needs ${owner.name}, which failed` };
    if (error.cause instanceof CheckSkipped) return { status: "skipped", skipReason: error.cause.message };
    const verdict = judge(error.cause, name, earlier);
    const failure = verdict.failure && {
      ...verdict.failure,
      message: `setup (${error.owner}): ${verdict.failure.message}`,
    };
    return { ...verdict, failure };
  }
  if (error instanceof CheckSkipped) return { status: "skipped", skipReason: error.message };
  if (error instanceof CheckFailure) {
    return { status: "failed", failure: { message: error.message, ...error.details } };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { status: "failed", failure: { message: `the check crashed: ${message}` } };
}
