import { createLogger, type Logger, type LoggerOptions } from "../../src/logger.js";

/** A logger whose output a test reads back: the raw text and the JSON lines parsed. */
export interface LogSink {
  logger: Logger;
  /** Every line written so far, parsed. */
  lines(): Record<string, unknown>[];
  /** Everything written so far, as written. */
  raw(): string;
}

/** Creates a logger (JSON, `info` unless told otherwise) writing into memory. */
export function createLogSink(options: Omit<LoggerOptions, "destination"> = {}): LogSink {
  const chunks: string[] = [];
  const logger = createLogger({
    level: "info",
    ...options,
    destination: { write: (line: string) => void chunks.push(line) },
  });
  const raw = () => chunks.join("");
  return {
    logger,
    raw,
    lines: () =>
      raw()
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
