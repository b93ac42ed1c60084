import { type DestinationStream, type Logger, pino } from "pino";

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

/** Options for the root logger. */
export interface LoggerOptions {
  level?: string;
  /** Where lines go; stdout when absent. Tests pass a sink to assert on lines. */
  destination?: DestinationStream;
}

/** Creates the one root logger of a process; everything else takes child loggers of it. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? "info",
      base: { service: "booking-server" },
      redact: { paths: redactedPaths, censor: "[redacted]" },
    },
    options.destination,
  );
}

export type { Logger };
