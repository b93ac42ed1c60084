import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { openAppPorts } from "../app.js";
import { exportFeed } from "../feed/export-feed.js";
import { FeedRejectedError } from "../feed/feed-issues.js";
import { importFeed } from "../feed/import-feed.js";
import { type CliIo, dbOptionHelp, processIo, resolveDatabaseUrl } from "./cli-io.js";

const usage = `Usage:
  booking-server feed import FILE [--policies FILE] [--db PATH]
  booking-server feed export [FILE] [--available-only] [--db PATH]

import  validates Google's availability feed JSON (and a policies file) and loads it in one
        transaction; a bad file is rejected with file:line:column errors and changes nothing.
        PROCESS_AS_COMPLETE replaces all future slots; existing bookings are never touched.
export  writes the future inventory as a complete availability feed (stdout without FILE);
        --available-only keeps only slots bookable now.

Options:
  --db PATH|URL      ${dbOptionHelp}
  --policies FILE    merchants' and services' policies (see README, "Policies file")
`;

/** `booking-server feed import|export ...`; returns the exit code. */
export async function feedCommand(argv: string[], io: CliIo = processIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: "string" },
      policies: { type: "string" },
      "available-only": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [action, file] = positionals;
  if (values.help || !action) {
    (values.help ? io.stdout : io.stderr)(usage);
    return values.help ? 0 : 2;
  }
  const dbPath = resolveDatabaseUrl(values.db);
  if (action === "import") {
    if (!file) {
      io.stderr(usage);
      return 2;
    }
    return runImport(io, dbPath, file, values.policies);
  }
  if (action === "export") {
    const ports = await openAppPorts({ database: dbPath, clock: io.clock });
    try {
      const feed = await exportFeed(ports.storage.inventory, {
        nowSec: io.clock.nowSec(),
        availableOnly: values["available-only"],
      });
      const text = `${JSON.stringify(feed, null, 2)}\n`;
      if (file && file !== "-") writeFileSync(file, text);
      else io.stdout(text);
      return 0;
    } finally {
      await ports.close();
    }
  }
  io.stderr(`booking-server feed: unknown action '${action}'\n\n${usage}`);
  return 2;
}

async function runImport(io: CliIo, dbPath: string, file: string, policiesFile: string | undefined): Promise<number> {
  const source = {
    feedFile: file,
    feedText: readFileSync(file, "utf8"),
    ...(policiesFile ? { policiesFile, policiesText: readFileSync(policiesFile, "utf8") } : {}),
  };
  const ports = await openAppPorts({ database: dbPath, clock: io.clock });
  try {
    const result = await importFeed(ports.storage.inventory, source, {
      nowSec: io.clock.nowSec(),
      onProgress: (done, total) => {
        if (total >= 20_000) io.stderr(`importing ${file}: ${done}/${total} slots\n`);
      },
    });
    io.stdout(
      `${file}: ${result.processingInstruction}, ${result.entries} availability entries -> ${result.slots} slots\n` +
        `  inserted ${result.inserted}, updated ${result.updated}, deleted ${result.deleted}, ` +
        `skipped (past) ${result.skippedPast}, not bookable but kept for bookings ${result.withdrawn}\n` +
        (policiesFile ? `  ${policiesFile}: ${result.merchants} merchants, ${result.services} services\n` : ""),
    );
    return 0;
  } catch (error) {
    if (!(error instanceof FeedRejectedError)) throw error;
    io.stderr(`${error.message}\n${error.file}: rejected (${error.issues.length} problems); nothing was changed\n`);
    return 1;
  } finally {
    await ports.close();
  }
}
