import { version } from "../version.js";
import { blocksCommand } from "./blocks-command.js";
import { bookingsCommand } from "./bookings-command.js";
import { calendarCommand } from "./calendar-command.js";
import { conformanceCommand } from "./conformance-command.js";
import { feedCommand } from "./feed-command.js";
import { notificationsCommand } from "./notifications-command.js";
import { serveCommand } from "./serve-command.js";

type Command = (argv: string[]) => Promise<number>;

/** Every subcommand of `booking-server`, with a one-line summary for the help text. */
const commands: Record<string, { run: Command; summary: string }> = {
  serve: { run: serveCommand, summary: "serve the booking API on one port (gRPC, gRPC-Web, Connect, REST /v3)" },
  feed: { run: feedCommand, summary: "import or export Google's availability feed (import FILE | export [FILE])" },
  bookings: {
    run: bookingsCommand,
    summary: "merchant side: list, show, cancel, reschedule, confirm, decline, no-show",
  },
  notifications: { run: notificationsCommand, summary: "real-time updates to the aggregator: list, retry" },
  conformance: {
    run: (argv) => conformanceCommand(argv),
    summary: "check any Booking Server v3 endpoint against the contract (REST, Connect or gRPC)",
  },
  calendar: { run: calendarCommand, summary: "link Google Calendars whose busy time removes slots; sync, status" },
  blocks: { run: blocksCommand, summary: "manual blocks: add, list or remove intervals without bookings" },
};

const usage = (): string =>
  `Usage: booking-server <command> [options]\n\nCommands:\n${Object.entries(commands)
    .map(([name, { summary }]) => `  ${name.padEnd(14)}${summary}`)
    .join(
      "\n",
    )}\n\nRun 'booking-server <command> --help' for a command's options, 'booking-server --version' for the version.\n`;

/** Runs the command named by the first argument and returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  if (name === "--version" || name === "-v" || name === "version") {
    process.stdout.write(`booking-server ${version}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`booking-server: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    process.stderr.write(`booking-server ${name}: ${(error as Error).message}\n`);
    return 1;
  }
}

// `booking-server feed export | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});
process.exitCode = await runCli(process.argv.slice(2));
