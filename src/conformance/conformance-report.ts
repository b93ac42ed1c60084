import type { Exchange, Protocol } from "./booking-client.js";
import type { CleanupReport } from "./booking-ledger.js";

/** The verdict on one check. */
export interface CheckResult {
  readonly name: string;
  readonly description: string;
  readonly status: "passed" | "failed" | "skipped";
  readonly durationMs: number;
  readonly notes: readonly string[];
  /** Why a skipped check did not run. */
  readonly skipReason?: string;
  readonly failure?: {
    readonly message: string;
    readonly expected?: string;
    readonly exchange?: Exchange;
  };
}

/** What is known about a run before the first check starts. */
export interface RunInfo {
  readonly target: string;
  readonly protocol: Protocol;
  readonly runId: string;
  readonly feed: string | undefined;
  /** Slots with open spots in the feed that start after the lead time. */
  readonly feedSlots: number;
  readonly leadTimeSec: number;
  readonly slotCount: number;
  readonly startedAt: string;
}

/** The whole run, as `--json` prints it and `--junit` renders it. */
export interface ConformanceReport extends RunInfo {
  readonly durationMs: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly checks: readonly CheckResult[];
  readonly cleanup: CleanupReport;
}

/** Receives a run's progress as it happens. */
export interface RunListener {
  runStarted(info: RunInfo): void;
  checkStarted(name: string): void;
  checkFinished(result: CheckResult): void;
  runFinished(report: ConformanceReport): void;
}
