import { parseArgs } from "node:util";
import { openAppPorts } from "../app.js";
import type { Booking, BookingStatus } from "../booking/booking.js";
import { BookingError } from "../booking/booking-error.js";
import { bookingEtag } from "../booking/etag.js";
import type { MerchantBookings } from "../booking/merchant-bookings.js";
import { createLedgerPaymentProcessor } from "../payments/ledger-payment-processor.js";
import { cliActor } from "./cli-actor.js";
import { type CliIo, dbOptionHelp, processIo, resolveDatabaseUrl } from "./cli-io.js";
import { formatTable, isoTime } from "./cli-table.js";

const usage = `Usage:
  booking-server bookings list [--merchant ID] [--status S[,S...]] [--from SEC] [--to SEC] [--limit N]
  booking-server bookings show BOOKING_ID
  booking-server bookings cancel BOOKING_ID [--reason TEXT]
  booking-server bookings reschedule BOOKING_ID --start SEC [--duration SEC] [--party-size N]
  booking-server bookings confirm BOOKING_ID
  booking-server bookings decline BOOKING_ID [--reason TEXT]
  booking-server bookings no-show BOOKING_ID

The merchant's side of bookings, the same operations as the AdminService: each change is checked
against --etag when given, audited (actor: cli, your user name) and queued as a real-time update to the
aggregator in its own transaction. Safe while servers run on the same database.

Options:
  --db PATH|URL   ${dbOptionHelp}
  --etag ETAG     refuse the change if the booking changed since it was read (ETAG_MISMATCH)
  --json          print JSON for scripts instead of a table
`;

const options = {
  db: { type: "string" },
  merchant: { type: "string" },
  status: { type: "string" },
  from: { type: "string" },
  to: { type: "string" },
  limit: { type: "string" },
  reason: { type: "string" },
  etag: { type: "string" },
  start: { type: "string" },
  duration: { type: "string" },
  "party-size": { type: "string" },
  json: { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

const changes = ["cancel", "reschedule", "confirm", "decline", "no-show"] as const;

/** `booking-server bookings list|show|cancel|reschedule|confirm|decline|no-show`; returns the exit code. */
export async function bookingsCommand(argv: string[], io: CliIo = processIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options });
  const [action, bookingId] = positionals;
  if (values.help) {
    io.stdout(usage);
    return 0;
  }
  const known = action === "list" || action === "show" || changes.includes(action as (typeof changes)[number]);
  if (!known || (action !== "list" && !bookingId) || (action === "reschedule" && !values.start)) {
    io.stderr(usage);
    return 2;
  }
  const ports = await openAppPorts({
    database: resolveDatabaseUrl(values.db),
    clock: io.clock,
    payments: createLedgerPaymentProcessor(),
  });
  try {
    const merchant = ports.merchant;
    if (action === "list") {
      const bookings = await list(merchant, values);
      if (values.json) io.stdout(`${JSON.stringify(bookings.map(bookingView))}\n`);
      else io.stdout(formatTable(["BOOKING", "STATUS", "MERCHANT", "SERVICE", "START", "ETAG"], bookings.map(row)));
      return 0;
    }
    const id = bookingId ?? "";
    if (action === "show") {
      const booking = await merchant.get(id);
      io.stdout(`${JSON.stringify(bookingView(booking), null, values.json ? undefined : 2)}\n`);
      return 0;
    }
    const before = await merchant.get(id);
    const change = {
      bookingId: id,
      etag: values.etag ?? "",
      actor: cliActor(),
      ...(values.reason ? { reason: values.reason } : {}),
    };
    const after =
      action === "cancel"
        ? await merchant.cancel(change)
        : action === "confirm"
          ? await merchant.confirm(change)
          : action === "decline"
            ? await merchant.decline(change)
            : action === "no-show"
              ? await merchant.markNoShow(change)
              : await merchant.reschedule({
                  ...change,
                  startSec: Number(values.start),
                  ...(values.duration ? { durationSec: Number(values.duration) } : {}),
                  ...(values["party-size"] ? { partySize: Number(values["party-size"]) } : {}),
                });
    if (values.json) io.stdout(`${JSON.stringify(bookingView(after))}\n`);
    else io.stdout(`booking ${id}: ${transition(before, after)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    io.stderr(`booking-server bookings ${action}: ${error.message}\n`);
    return 1;
  } finally {
    await ports.close();
  }
}

async function list(merchant: MerchantBookings, values: Partial<Record<keyof typeof options, unknown>>) {
  const number = (value: unknown) => (typeof value === "string" && value !== "" ? Number(value) : undefined);
  const statuses = typeof values.status === "string" ? (values.status.split(",") as BookingStatus[]) : [];
  const limit = number(values.limit) ?? 100;
  const page = await merchant.list({
    ...(typeof values.merchant === "string" ? { merchantId: values.merchant } : {}),
    ...(number(values.from) ? { startSecMin: number(values.from) } : {}),
    ...(number(values.to) ? { startSecMax: number(values.to) } : {}),
    ...(statuses.length > 0 ? { statuses } : {}),
    limit,
  });
  return page.items;
}

/** A booking for people and scripts: no personal data beyond the user id. */
function bookingView(booking: Booking) {
  const { slot } = booking;
  return {
    bookingId: booking.bookingId,
    status: booking.status,
    etag: bookingEtag(booking),
    merchantId: slot.merchantId,
    serviceId: slot.serviceId,
    startSec: slot.startSec,
    durationSec: slot.durationSec,
    staffId: slot.staffId,
    roomId: slot.roomId,
    partySize: slot.partySize,
    aggregator: booking.caller,
    userId: booking.user.userId,
    prepayment: booking.payment.prepayment,
  };
}

function row(booking: Booking): string[] {
  const { slot } = booking;
  return [
    booking.bookingId,
    booking.status,
    slot.merchantId,
    slot.serviceId,
    isoTime(slot.startSec),
    bookingEtag(booking),
  ];
}

/** `BEFORE -> AFTER` statuses, with start times when a reschedule moved the booking. */
function transition(before: Booking, after: Booking): string {
  const moved = before.slot.startSec !== after.slot.startSec;
  const show = (b: Booking) => (moved ? `${b.status} at ${isoTime(b.slot.startSec)}` : b.status);
  return `${show(before)} -> ${show(after)}`;
}
