import { conformanceCommand } from "../../src/conformance/conformance-command.js";

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
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}
