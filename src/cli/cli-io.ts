import { type Clock, systemClock } from "../booking/clock.js";

/** Where a command writes, and its clock; tests pass their own to capture output and fix the time. */
export interface CliIo {
  clock: Clock;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** The process's own streams and the system clock. */
export const processIo: CliIo = {
  clock: systemClock,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** The database every command opens when neither `--db` nor BOOKING_DB names one. */
export const defaultDatabase = "./data/booking.db";

/** The `--db` line of every command's help. */
export const dbOptionHelp = `SQLite database file or postgres:// URL (BOOKING_DB; default ${defaultDatabase})`;

/** The database file or URL a command uses: `--db`, else BOOKING_DB, else {@link defaultDatabase}. */
export function resolveDatabaseUrl(option: string | undefined): string {
  return option ?? process.env.BOOKING_DB ?? defaultDatabase;
}
