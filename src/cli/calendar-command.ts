import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { openAppPorts } from "../app.js";
import { formatInstant, systemClock } from "../booking/clock.js";
import { parseBusyResource, parseLinkId, UsageError } from "../calendar/busy-resource-option.js";
import { CalendarCredentialsError, parseCalendarCredentials } from "../calendar/calendar-credentials.js";
import { CalendarRootUrlError, parseCalendarRootUrl } from "../calendar/calendar-root-url.js";
import { formatConflict, formatLinkStatus } from "../calendar/calendar-status-view.js";
import type { CalendarStore } from "../calendar/calendar-store.js";
import { createCalendarSyncer } from "../calendar/calendar-syncer.js";
import { createLogger } from "../logger.js";
import { type CliIo, dbOptionHelp, processIo, resolveDatabaseUrl } from "./cli-io.js";

const dbHelp = `  --db PATH|URL          ${dbOptionHelp}\n`;
const usages: Record<string, string> = {
  calendar: `Usage: booking-server calendar <command> [options]

Links Google Calendars to merchants, staff or rooms; their busy time removes slots.

Commands:
  link        link a calendar (or replace the credentials of a linked one)
  unlink      remove a link and the busy time it brought
  sync        sync links now
  status      show each link's sync state
  conflicts   show busy time that overlaps existing bookings

Run 'booking-server calendar <command> --help' for a command's options.
`,
  link: `Usage: booking-server calendar link --merchant M [--staff S | --room R] --calendar-id ID --credentials-file FILE

Options:
  --merchant M              the merchant whose time the calendar holds
  --staff S | --room R      a staff member or room of the merchant instead of the whole merchant
  --calendar-id ID          the Google Calendar id (e.g. an email address, or "primary")
  --credentials-file FILE   JSON: {client_id, client_secret, refresh_token} or a service account key
${dbHelp}
Linking the same calendar to the same resource again replaces its credentials (re-authorisation).
`,
  unlink: `Usage: booking-server calendar unlink LINK_ID [--db PATH]\n\nRemoves the link, its busy intervals and conflicts.\n\n${dbHelp}`,
  sync: `Usage: booking-server calendar sync [LINK_ID] [--root-url URL] [--db PATH]

Syncs one link, or every link, now (also those waiting for a retry or needing re-authorisation).

Options:
  --root-url URL         Calendar API root (BOOKING_CALENDAR_ROOT_URL; default https://www.googleapis.com/)
${dbHelp}`,
  status: `Usage: booking-server calendar status [--json] [--db PATH]\n\nShows per link: last success, last error, next attempt, busy intervals, re-authorisation, gone.\n\n  --json                 one JSON document instead of text\n${dbHelp}`,
  conflicts: `Usage: booking-server calendar conflicts [--merchant M] [--all] [--json] [--db PATH]\n\nShows busy intervals that overlap active bookings.\n\n  --merchant M           only this merchant\n  --all                  include cleared conflicts and inactive bookings\n  --json                 one JSON document instead of text\n${dbHelp}`,
};

const common = { db: { type: "string" }, help: { type: "boolean", short: "h", default: false } } as const;

/** `booking-server calendar ...`: link, unlink, sync, status and conflicts; returns the exit code. */
export async function calendarCommand(argv: string[], io: CliIo = processIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === "--help" || sub === "-h") {
    io.stdout(usages.calendar ?? "");
    return sub ? 0 : 2;
  }
  if (!Object.hasOwn(usages, sub) || sub === "calendar") {
    io.stderr(`booking-server calendar: unknown command '${sub}'\n\n${usages.calendar}`);
    return 2;
  }
  try {
    return await runSubcommand(sub, rest, io);
  } catch (error) {
    if (
      error instanceof UsageError ||
      error instanceof CalendarCredentialsError ||
      error instanceof CalendarRootUrlError ||
      isParseArgsError(error)
    ) {
      io.stderr(`booking-server calendar ${sub}: ${(error as Error).message}\n\n${usages[sub]}`);
      return 2;
    }
    throw error;
  }
}

const isParseArgsError = (error: unknown): boolean =>
  typeof (error as { code?: unknown })?.code === "string" &&
  (error as { code: string }).code.startsWith("ERR_PARSE_ARGS");

async function runSubcommand(sub: string, argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...common,
      merchant: { type: "string" },
      staff: { type: "string" },
      room: { type: "string" },
      "calendar-id": { type: "string" },
      "credentials-file": { type: "string" },
      "root-url": { type: "string" },
      json: { type: "boolean", default: false },
      all: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    io.stdout(usages[sub] ?? "");
    return 0;
  }
  const maxPositionals = sub === "unlink" || sub === "sync" ? 1 : 0;
  if (positionals.length > maxPositionals) throw new UsageError(`unexpected argument ${positionals[maxPositionals]}`);
  if (sub === "link") {
    const resource = parseBusyResource(values);
    const calendarId = values["calendar-id"]?.trim();
    if (!calendarId) throw new UsageError("--calendar-id is required");
    const file = values["credentials-file"];
    if (!file) throw new UsageError("--credentials-file is required");
    const credentials = parseCalendarCredentials(readFileSync(file, "utf8"));
    return withStore(values.db, async (store) => {
      const { link, created } = await store.saveLink({ ...resource, calendarId, credentials }, systemClock.nowSec());
      io.stdout(
        `${created ? "linked" : "re-linked"} calendar ${calendarId} as link ${link.linkId} (${link.credentialsKind} credentials stored)\n` +
          `run 'booking-server calendar sync ${link.linkId}' to sync it now\n`,
      );
      return 0;
    });
  }
  if (sub === "unlink") {
    const linkId = parseLinkId(positionals[0]);
    return withStore(values.db, async (store) => {
      if (!(await store.removeLink(linkId))) {
        io.stderr(`booking-server calendar unlink: no link ${linkId}\n`);
        return 1;
      }
      io.stdout(`unlinked link ${linkId}\n`);
      return 0;
    });
  }
  if (sub === "status") {
    return withStore(values.db, async (store) => {
      const statuses = await store.linkStatuses();
      if (values.json) io.stdout(`${JSON.stringify({ links: statuses }, null, 2)}\n`);
      else io.stdout(statuses.length === 0 ? "no calendar links\n" : statuses.map(formatLinkStatus).join("\n"));
      return 0;
    });
  }
  if (sub === "conflicts") {
    return withStore(values.db, async (store) => {
      const conflicts = await store.conflicts({ merchantId: values.merchant, includeCleared: values.all });
      if (values.json) io.stdout(`${JSON.stringify({ conflicts }, null, 2)}\n`);
      else io.stdout(conflicts.length === 0 ? "no conflicts\n" : conflicts.map(formatConflict).join(""));
      return 0;
    });
  }
  return syncNow(positionals[0], values["root-url"], values.db, io);
}

async function syncNow(
  linkArg: string | undefined,
  rootUrl: string | undefined,
  dbOption: string | undefined,
  io: CliIo,
) {
  const linkId = linkArg === undefined ? undefined : parseLinkId(linkArg);
  const envRootUrl = process.env.BOOKING_CALENDAR_ROOT_URL;
  const apiRoot =
    rootUrl !== undefined
      ? parseCalendarRootUrl(rootUrl, "--root-url")
      : envRootUrl
        ? parseCalendarRootUrl(envRootUrl, "BOOKING_CALENDAR_ROOT_URL")
        : undefined;
  return withStore(dbOption, async (store) => {
    const links =
      linkId === undefined
        ? await store.allLinksForSync()
        : [await store.linkForSync(linkId)].filter((l) => l !== undefined);
    if (linkId !== undefined && links.length === 0) {
      io.stderr(`booking-server calendar sync: no link ${linkId}\n`);
      return 1;
    }
    const logger = createLogger({
      level: process.env.LOG_LEVEL ?? "warn",
      destination: { write: (line: string) => io.stderr(line) },
    });
    const syncer = createCalendarSyncer({
      store,
      logger,
      clock: systemClock,
      rootUrl: apiRoot,
    });
    const reports = await syncer.syncLinks(links);
    for (const report of reports) {
      if (report.outcome === "synced") {
        const { applied } = report;
        io.stdout(
          `link ${report.linkId}: synced (${report.mode}), ${applied.busyIntervals} busy intervals, ` +
            `${applied.newConflicts.length} new conflicts\n`,
        );
      } else if (report.outcome === "failed") {
        io.stdout(
          `link ${report.linkId}: failed: ${report.failure.reason}: ${report.failure.message}; ` +
            `next attempt ${report.plan.nextAttemptSec === null ? "none" : formatInstant(report.plan.nextAttemptSec)}\n`,
        );
      } else {
        io.stdout(`link ${report.linkId}: ${report.outcome}\n`);
      }
    }
    return reports.every((report) => report.outcome === "synced") && reports.length === links.length ? 0 : 1;
  });
}

async function withStore(dbOption: string | undefined, run: (store: CalendarStore) => Promise<number>) {
  const ports = await openAppPorts({ database: resolveDatabaseUrl(dbOption) });
  try {
    return await run(ports.storage.calendar);
  } finally {
    await ports.close();
  }
}
