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

/**
 * JSON lines to stdout, written off the event loop: a line is handed to libuv's thread pool, and lines
 * logged while a write is in flight go out together in the next one, so a busy server makes one write per
 * batch instead of one blocking syscall per call. pino flushes what is left synchronously at exit (also
 * after an uncaught exception); only a SIGKILL can cut off the lines of the write in flight.
 */
function stdoutLines(): DestinationStream {
  return pino.destination({ dest: 1, sync: false });
}

/**
 * Formats each JSON line as readable text before it is written (coloured on a terminal). It runs in
 * this thread and writes synchronously, like the JSON destination, so nothing is lost at exit.
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
