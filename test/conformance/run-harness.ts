import { systemClock } from "../../src/booking/clock.js";
import { conformanceCommand } from "../../src/cli/conformance-command.js";

/** What one in-process run of `booking-server conformance` printed and returned. */
export interface HarnessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the conformance command in-process with collected output streams. */
export async function runHarness(argv: string[]): Promise<HarnessRun> {
  let stdout = "";
  let stderr = "";
  const code = await conformanceCommand(argv, {
    clock: systemClock,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}
