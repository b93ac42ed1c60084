import { type DestinationStream, type LevelWithSilent, type Logger, pino } from "pino";
import { prettyFactory } from "pino-pretty";

/**
 * Paths that never reach a log line: credentials and the booking user's personal data, wherever a
 * call's log bindings might carry them.
 */
export const redactedPaths = [
  "authorization",
  "*.authorization",
  "headers.authorization",
  "req.headers.authorization",
  "password",
  "*.password",
  "credentials",
  "*.credentials",
  "refresh_token",
  "*.refresh_token",
  "given_name",
  "family_name",
  "givenName",
  "familyName",
  "email",
  "telephone",
  "*.given_name",
  "*.family_name",
  "*.email",
  "*.telephone",
  "*.givenName",
  "*.familyName",
  "user_information",
  "*.user_information",
  "userInformation",
  "*.userInformation",
  // One level deeper too (e.g. `{ booking: { user_information } }` or `{ req: { headers } }`).
  "*.*.authorization",
  "*.*.password",
  "*.*.user_information",
  "*.*.userInformation",
  "*.*.given_name",
  "*.*.family_name",
  "*.*.givenName",
  "*.*.familyName",
  "*.*.email",
  "*.*.telephone",
];

/** The levels `--log-level` accepts, most severe first. */
export const logLevels: readonly LevelWithSilent[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/** How lines are written: one JSON object each (for machines), or coloured text (for a terminal). */
export type LogFormat = "json" | "pretty";

/** Options for the root logger. */
export interface LoggerOptions {
  level?: string;
  /** `json` by default. */
  format?: LogFormat;
  /** Where lines go; stdout when absent. Tests pass a sink to assert on lines. */
  destination?: DestinationStream;
}

/** Creates the one root logger of a process; everything else takes child loggers of it. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination =
    options.format === "pretty" ? prettyLines(options.destination) : (options.destination ?? stdoutLines());
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? "info",
      base: { service: "booking-server" },
      redact: { paths: redactedPaths, censor: "[redacted]" },
    },
    destination,
  );
}

export type { Logger };

let stdout: DestinationStream | undefined;

/**
 * JSON lines to stdout, written together: the lines logged in one event-loop turn go out in one
 * synchronous write once the turn's I/O callbacks have run, so a busy server makes one write per turn
 * instead of one per call, and an idle one writes each line at once. Whatever is pending when the
 * process exits (also after an uncaught exception) is written then; only a SIGKILL can cut off the
 * lines of the turn it interrupts. One writer per process, however many loggers share it.
 */
function stdoutLines(): DestinationStream {
  if (stdout) return stdout;
  const out = pino.destination({ dest: 1, sync: true });
  let pending = "";
  const flush = () => {
    if (pending === "") return;
    const text = pending;
    pending = "";
    out.write(text);
  };
  process.on("exit", flush);
  stdout = {
    write(line: string) {
      if (pending === "") setImmediate(flush);
      pending += line;
    },
  };
  return stdout;
}

/**
 * Formats each JSON line as readable text before it is written (coloured on a terminal). It runs in
 * this thread and writes each line as it comes, so nothing is lost at exit.
 */
function prettyLines(target: DestinationStream | undefined): DestinationStream {
  const colorize = target === undefined && process.stdout.isTTY === true;
  const prettify = prettyFactory({
    colorize,
    singleLine: true,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "pid,hostname,service",
  });
  const out = target ?? process.stdout;
  return { write: (line: string) => void out.write(prettify(line)) };
}
