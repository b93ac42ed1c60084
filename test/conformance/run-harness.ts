import { systemClock } from "../../src/booking/clock.js";
import { conformanceCommand } from "../../src/cli/conformance-command.js";
import { type CommandRun, runCommand } from "../support/run-command.js";

/** What one in-process run of `booking-server conformance` printed and returned. */
export type HarnessRun = CommandRun;

/** Runs the conformance command in-process with collected output streams. */
export function runHarness(argv: string[]): Promise<HarnessRun> {
  return runCommand(conformanceCommand, argv, systemClock);
}
