import { parseArgs } from "node:util";
import { openAppPorts } from "../app.js";
import { BookingError } from "../booking/booking-error.js";
import { type Clock, systemClock } from "../booking/clock.js";
import { createLedgerPaymentProcessor } from "../payments/ledger-payment-processor.js";
import { resolveDatabaseUrl } from "../store/open-storage.js";

const usage = `Usage:
  booking-server bookings confirm BOOKING_ID [--db PATH]
  booking-server bookings decline BOOKING_ID [--db PATH]
  booking-server bookings show BOOKING_ID [--db PATH]

The merchant's side of asynchronous confirmation: a PENDING_MERCHANT_CONFIRMATION booking becomes
CONFIRMED, or DECLINED_BY_MERCHANT (its spot is freed and its prepayment refunded). Repeating the
same decision changes nothing. Safe while servers run on the same database.

Options:
  --db PATH|URL   SQLite database file or postgres:// URL (BOOKING_DB; default ./data/booking.db)
`;

/** Where the bookings command writes, and its clock; tests pass their own. */
export interface BookingsCommandIo {
  clock: Clock;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const processIo: BookingsCommandIo = {
  clock: systemClock,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/** `booking-server bookings confirm|decline|show BOOKING_ID`; returns the exit code. */
export async function bookingsCommand(argv: string[], io: BookingsCommandIo = processIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { db: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
  });
  const [action, bookingId] = positionals;
  if (values.help) {
    io.stdout(usage);
    return 0;
  }
  if (!bookingId || (action !== "confirm" && action !== "decline" && action !== "show")) {
    io.stderr(usage);
    return 2;
  }
  const ports = await openAppPorts({
    database: resolveDatabaseUrl(values.db),
    clock: io.clock,
    payments: createLedgerPaymentProcessor(),
  });
  const { engine } = ports;
  try {
    if (action === "show") {
      const booking = await engine.getBooking(bookingId);
      io.stdout(`${JSON.stringify({ ...booking, user: { userId: booking.user.userId } }, null, 2)}\n`);
      return 0;
    }
    const before = (await engine.getBooking(bookingId)).status;
    const after = await engine.decide(bookingId, action);
    io.stdout(`booking ${bookingId}: ${before} -> ${after.status}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof BookingError)) throw error;
    io.stderr(`booking-server bookings ${action}: ${error.message}\n`);
    return 1;
  } finally {
    await ports.close();
  }
}
