import type { Clock } from "../../src/booking/clock.js";
import type { CliIo } from "../../src/cli/cli-io.js";

/** The output streams and clock a CLI command takes, captured for a test. */
export type CapturedIo = CliIo;

/** What one in-process run of a CLI command printed and returned. */
export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a `booking-server` subcommand in-process with captured output. */
export async function runCommand(
  command: (argv: string[], io: CapturedIo) => Promise<number>,
  argv: string[],
  clock: Clock,
): Promise<CommandRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command(argv, {
    clock,
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
  });
  return { code, stdout: out.join(""), stderr: err.join("") };
}
