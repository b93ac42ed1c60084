import { parseArgs } from "node:util";
import { type AppPorts, openAppPorts } from "../app.js";
import { BookingError } from "../booking/booking-error.js";
import { parseBusyResource, parseInstantSec, UsageError } from "../calendar/busy-resource-option.js";
import { formatBlock, formatConflict } from "../calendar/calendar-status-view.js";
import { cliActor } from "./cli-actor.js";
import { type CliIo, dbOptionHelp, processIo, resolveDatabaseUrl } from "./cli-io.js";

const dbHelp = `  --db PATH|URL          ${dbOptionHelp}\n`;
const usages: Record<string, string> = {
  blocks: `Usage: booking-server blocks <command> [options]

Manual blocks: intervals in which a merchant, a staff member or a room takes no bookings. Like
AdminService AddBlock and RemoveBlock, each change is audited (actor: cli, your user name) and queues
the availability updates of the slots it blocks or frees for the aggregator, in its own transaction.

Commands:
  add       block an interval
  list      list blocks
  remove    remove a block

Run 'booking-server blocks <command> --help' for a command's options.
`,
  add: `Usage: booking-server blocks add --merchant M [--staff S | --room R] --start ISO --end ISO [--note TEXT]

Options:
  --merchant M           the merchant
  --staff S | --room R   block one staff member or room instead of the whole merchant
  --start ISO --end ISO  e.g. 2030-03-10T09:00:00-05:00; end exclusive
  --note TEXT            shown in 'blocks list'
${dbHelp}
Effective at once: overlapping slots are no longer available. Bookings already made stay and are
reported as conflicts.
`,
  list: `Usage: booking-server blocks list [--merchant M] [--json] [--db PATH]\n\n  --merchant M           only this merchant\n  --json                 one JSON document instead of text\n${dbHelp}`,
  remove: `Usage: booking-server blocks remove BLOCK_ID [--db PATH]\n\n${dbHelp}`,
};

/** `booking-server blocks add | list | remove`; returns the exit code. */
export async function blocksCommand(argv: string[], io: CliIo = processIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (!sub || sub === "--help" || sub === "-h") {
    io.stdout(usages.blocks ?? "");
    return sub ? 0 : 2;
  }
  if (!Object.hasOwn(usages, sub) || sub === "blocks") {
    io.stderr(`booking-server blocks: unknown command '${sub}'\n\n${usages.blocks}`);
    return 2;
  }
  try {
    return await runSubcommand(sub, rest, io);
  } catch (error) {
    const code = (error as { code?: unknown })?.code;
    if (error instanceof UsageError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS"))) {
      io.stderr(`booking-server blocks ${sub}: ${(error as Error).message}\n\n${usages[sub]}`);
      return 2;
    }
    throw error;
  }
}

async function runSubcommand(sub: string, argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
      merchant: { type: "string" },
      staff: { type: "string" },
      room: { type: "string" },
      start: { type: "string" },
      end: { type: "string" },
      note: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    io.stdout(usages[sub] ?? "");
    return 0;
  }
  const maxPositionals = sub === "remove" ? 1 : 0;
  if (positionals.length > maxPositionals) throw new UsageError(`unexpected argument ${positionals[maxPositionals]}`);
  if (sub === "add") {
    const resource = parseBusyResource(values);
    const startSec = parseInstantSec(values.start, "--start");
    const endSec = parseInstantSec(values.end, "--end");
    if (endSec <= startSec) throw new UsageError("--end must be after --start");
    return withPorts(values.db, async (ports) => {
      // The same domain path as AdminService.AddBlock: audited, with its availability updates queued.
      const block = await ports.merchantInventory.addBlock(
        { ...resource, startSec, endSec, note: values.note ?? "" },
        cliActor(),
      );
      const conflicts = (await ports.storage.calendar.conflicts({ merchantId: block.merchantId })).filter(
        (conflict) => conflict.source === "block" && conflict.sourceRef === block.blockId,
      );
      io.stdout(`added block ${block.blockId}\n${formatBlock(block)}`);
      if (conflicts.length > 0) {
        io.stderr(`warning: the block overlaps ${conflicts.length} active booking(s); they are kept:\n`);
        for (const conflict of conflicts) io.stderr(formatConflict(conflict));
      }
      return 0;
    });
  }
  if (sub === "list") {
    return withPorts(values.db, async (ports) => {
      const blocks = await ports.storage.calendar.listBlocks({ merchantId: values.merchant });
      if (values.json) io.stdout(`${JSON.stringify({ blocks }, null, 2)}\n`);
      else io.stdout(blocks.length === 0 ? "no blocks\n" : blocks.map(formatBlock).join(""));
      return 0;
    });
  }
  const blockId = positionals[0];
  if (!blockId) throw new UsageError("BLOCK_ID is required");
  return withPorts(values.db, async (ports) => {
    try {
      await ports.merchantInventory.removeBlock(blockId, cliActor());
    } catch (error) {
      if (!(error instanceof BookingError && error.code === "BLOCK_NOT_FOUND")) throw error;
      io.stderr(`booking-server blocks remove: no block ${blockId}\n`);
      return 1;
    }
    io.stdout(`removed block ${blockId}\n`);
    return 0;
  });
}

async function withPorts(dbOption: string | undefined, run: (ports: AppPorts) => Promise<number>) {
  const ports = await openAppPorts({ database: resolveDatabaseUrl(dbOption) });
  try {
    return await run(ports);
  } finally {
    await ports.close();
  }
}
