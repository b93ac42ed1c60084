import type { PaymentProcessor } from "../payments/payment-processor.js";
import type { Actor } from "./audit-entry.js";
import { judgeCandidates, type SlotVerdict } from "./availability-rule.js";
import type { Booking, ListedBooking } from "./booking.js";
import { bookingNotFound } from "./booking-error.js";
import { timeOrderedBookingId } from "./booking-id.js";
import type { BookingStore } from "./booking-store.js";
import { changeBooking, type UpdateBookingInput, type UpdateBookingOutcome } from "./change-booking.js";
import type { Clock } from "./clock.js";
import { writeOrFail } from "./failure-rollback.js";
import type { BusyInterval, InventorySlot, SlotQuery } from "./inventory.js";
import { type MerchantDecision, merchantDecide } from "./merchant-changes.js";
import { type CreateBookingInput, type CreateBookingOutcome, placeBooking, replayOf } from "./place-booking.js";

/** What the engine is built from. */
export interface BookingEngineDeps {
  store: BookingStore;
  clock: Clock;
  payments: PaymentProcessor;
  /** Generates booking ids; by default time-ordered with 64 random bits (see booking-id.ts), unique across processes. */
  newBookingId?: () => string;
}

/** The booking domain: availability, creation, changes and reads, all over one BookingStore. */
export interface BookingEngine {
  /** Judges each query with THE availability rule; one verdict per query, in order. */
  lookupAvailability(queries: readonly SlotQuery[]): Promise<SlotVerdict[]>;
  createBooking(input: CreateBookingInput): Promise<CreateBookingOutcome>;
  updateBooking(input: UpdateBookingInput): Promise<UpdateBookingOutcome>;
  /** A booking by id, whoever made it (the merchant's side); throws BOOKING_NOT_FOUND. */
  getBooking(bookingId: string): Promise<Booking>;
  /** A booking by id as aggregator `caller` sees it: another aggregator's booking is BOOKING_NOT_FOUND too. */
  getBookingOf(caller: string, bookingId: string): Promise<Booking>;
  /** Every booking of the aggregator's user, oldest first; shared between calls, never to be changed. */
  listBookings(caller: string, userId: string): Promise<readonly ListedBooking[]>;
  /**
   * The merchant's answer to a PENDING_MERCHANT_CONFIRMATION booking, with no etag check; repeating it
   * changes nothing. Audited as `actor` (a CLI command by default).
   */
  decide(bookingId: string, decision: MerchantDecision, actor?: Actor): Promise<Booking>;
}

/** Creates the booking engine. */
export function createBookingEngine(deps: BookingEngineDeps): BookingEngine {
  const { store, clock, payments } = deps;
  const newBookingId = deps.newBookingId ?? (() => timeOrderedBookingId());
  return {
    lookupAvailability(queries) {
      const nowSec = clock.nowSec();
      return store.read(async (reader) => {
        const matches = await reader.findSlots(queries);
        // The busy time of the span the matched slots cover, for each merchant asked about.
        let from = Number.POSITIVE_INFINITY;
        let to = Number.NEGATIVE_INFINITY;
        for (const candidates of matches) {
          for (const slot of candidates) {
            if (slot.startSec < from) from = slot.startSec;
            if (slot.startSec + slot.durationSec > to) to = slot.startSec + slot.durationSec;
          }
        }
        let busy: readonly BusyInterval[] = [];
        if (from < to) {
          const merchants = new Set<string>();
          for (const query of queries) merchants.add(query.merchantId);
          const found: BusyInterval[][] = [];
          for (const merchantId of merchants) found.push(await reader.busyIntervals(merchantId, from, to));
          busy = found.length === 1 ? (found[0] as BusyInterval[]) : found.flat();
        }
        const verdicts: SlotVerdict[] = new Array(matches.length);
        for (let i = 0; i < matches.length; i++)
          verdicts[i] = judgeCandidates(matches[i] as InventorySlot[], busy, nowSec);
        return verdicts;
      });
    },
    async createBooking(input) {
      // A replay needs no write lock; the write re-checks in case a twin request is in flight.
      const replay = await store.read((reader) => replayOf(reader, input));
      if (replay) return replay;
      return writeOrFail(store, (writer) =>
        placeBooking(writer, input, { payments, nowSec: clock.nowSec(), newBookingId }),
      );
    },
    updateBooking(input) {
      return writeOrFail(store, (writer) => changeBooking(writer, input, { payments, nowSec: clock.nowSec() }));
    },
    async getBooking(bookingId) {
      const booking = await store.read((reader) => reader.getBooking(bookingId));
      if (!booking) throw bookingNotFound();
      return booking;
    },
    async getBookingOf(caller, bookingId) {
      const booking = await store.read((reader) => reader.getBookingOf(caller, bookingId));
      if (!booking) throw bookingNotFound();
      return booking;
    },
    listBookings(caller, userId) {
      return store.read((reader) => reader.listBookingsOfUser(caller, userId));
    },
    decide(bookingId, decision, actor = { kind: "cli", id: "booking-server" }) {
      return store.write((writer) =>
        merchantDecide(writer, { bookingId, etag: "", actor }, decision, { payments, nowSec: clock.nowSec() }),
      );
    },
  };
}
