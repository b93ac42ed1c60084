import { parseArgs } from "node:util";
import { openAppPorts } from "../app.js";
import type { NotificationState, OutboxEntry } from "../booking/outbox-entry.js";
import { type CliIo, dbOptionHelp, processIo, resolveDatabaseUrl } from "./cli-io.js";
import { formatTable, isoTime } from "./cli-table.js";

const usage = `Usage:
  booking-server notifications list [--state pending|delivered|failed] [--merchant ID] [--booking ID]
                                    [--limit N]
  booking-server notifications retry NOTIFICATION_ID

Real-time updates to the aggregator (the outbox): their delivery state, attempts, last error and
next attempt. 'retry' queues a failed update for delivery again, carrying the booking's or slot's
current state, so a stale update never overwrites a newer one the aggregator already has.

Options:
  --db PATH|URL   ${dbOptionHelp}
  --json          print JSON for scripts instead of a table
`;

const states: readonly NotificationState[] = ["pending", "delivered", "failed"];

/** `booking-server notifications list|retry`; returns the exit code. */
export async function notificationsCommand(argv: string[], io: CliIo = processIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: "string" },
      state: { type: "string" },
      booking: { type: "string" },
      merchant: { type: "string" },
      limit: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [action, id] = positionals;
  if (values.help) {
    io.stdout(usage);
    return 0;
  }
  const state = values.state as NotificationState | undefined;
  if ((action !== "list" && action !== "retry") || (action === "retry" && !id) || (state && !states.includes(state))) {
    io.stderr(usage);
    return 2;
  }
  const ports = await openAppPorts({ database: resolveDatabaseUrl(values.db), clock: io.clock });
  try {
    const outbox = ports.storage.outbox;
    if (action === "retry") {
      const entry = await ports.notificationRetry.retry(Number(id));
      if (!entry) {
        io.stderr(`booking-server notifications retry: no notification ${id}\n`);
        return 1;
      }
      io.stdout(values.json ? `${JSON.stringify(view(entry))}\n` : `notification ${id}: ${entry.state}\n`);
      return 0;
    }
    const entries = await outbox.list({
      ...(state ? { states: [state] } : {}),
      ...(values.booking ? { bookingId: values.booking } : {}),
      ...(values.merchant ? { merchantId: values.merchant } : {}),
      limit: Number(values.limit ?? 100),
    });
    if (values.json) {
      io.stdout(`${JSON.stringify(entries.map(view))}\n`);
    } else {
      const rows = entries.map((e) => [
        String(e.entryId),
        e.payload.kind,
        e.bookingId || `${e.merchantId}/${e.serviceId}`,
        e.state,
        String(e.attempts),
        e.state === "pending" && e.nextAttemptMs > 0 ? new Date(e.nextAttemptMs).toISOString() : "",
        e.lastError,
      ]);
      io.stdout(formatTable(["ID", "KIND", "BOOKING", "STATE", "ATTEMPTS", "NEXT ATTEMPT", "LAST ERROR"], rows));
    }
    return 0;
  } finally {
    await ports.close();
  }
}

function view(entry: OutboxEntry) {
  return {
    notificationId: entry.entryId,
    kind: entry.payload.kind,
    bookingId: entry.bookingId,
    merchantId: entry.merchantId,
    serviceId: entry.serviceId,
    state: entry.state,
    attempts: entry.attempts,
    lastError: entry.lastError,
    nextAttemptMs: entry.nextAttemptMs,
    created: isoTime(entry.createdSec),
    delivered: isoTime(entry.deliveredSec),
  };
}
