import type { DescMessage, DescMethodUnary, MessageInitShape } from "@bufbuild/protobuf";
import type { Booking } from "../../gen/booking/partner/v3/booking_pb.js";
import { BookingFailure_Cause, BookingStatus } from "../../gen/booking/partner/v3/booking_pb.js";
import type { BookingClient } from "./booking-client.js";
import { rpc } from "./booking-client.js";
import { describeError } from "./check-expect.js";

/** What cleanup did: bookings it cancelled and bookings it could not. */
export interface CleanupReport {
  readonly cancelled: readonly string[];
  readonly alreadyCancelled: number;
  readonly failed: readonly { readonly bookingId: string; readonly reason: string }[];
}

/** Every booking the run saw being made, so cleanup can cancel what is still active. */
export class BookingLedger {
  private readonly cancelled = new Map<string, boolean>();

  /** Notes a booking seen in any response, and whether it is cancelled now. */
  record(booking: Pick<Booking, "bookingId" | "status">): void {
    if (!booking.bookingId) return;
    this.cancelled.set(booking.bookingId, booking.status === BookingStatus.CANCELED);
  }

  /** Notes the booking in a raw REST response body, if it carries one (either JSON name style). */
  recordJson(body: unknown): void {
    const booking = (body as { booking?: { booking_id?: unknown; bookingId?: unknown; status?: unknown } } | undefined)
      ?.booking;
    const bookingId = booking?.booking_id ?? booking?.bookingId;
    if (typeof bookingId === "string" && bookingId) this.cancelled.set(bookingId, booking?.status === "CANCELED");
  }

  /** Cancels every booking not yet known to be cancelled, one after another. */
  async cancelAll(client: BookingClient): Promise<CleanupReport> {
    const cancelled: string[] = [];
    const failed: { bookingId: string; reason: string }[] = [];
    const active = [...this.cancelled].filter(([, done]) => !done).map(([id]) => id);
    for (const bookingId of active) {
      const outcome = await client.call(rpc.updateBooking, { booking: { bookingId, status: BookingStatus.CANCELED } });
      const result = outcome.ok ? outcome.message : undefined;
      if (result?.booking?.status === BookingStatus.CANCELED) {
        cancelled.push(bookingId);
        this.cancelled.set(bookingId, true);
      } else if (result?.bookingFailure?.cause === BookingFailure_Cause.BOOKING_ALREADY_CANCELLED) {
        this.cancelled.set(bookingId, true);
      } else {
        const reason = result?.bookingFailure
          ? `booking_failure ${BookingFailure_Cause[result.bookingFailure.cause]}`
          : outcome.ok
            ? "the answer carried no CANCELED booking"
            : describeError(outcome);
        failed.push({ bookingId, reason });
      }
    }
    return { cancelled, alreadyCancelled: this.cancelled.size - active.length, failed };
  }
}

/** Wraps a client so every booking in a CreateBooking, UpdateBooking or ListBookings answer is recorded. */
export function createRecordingClient(client: BookingClient, ledger: BookingLedger): BookingClient {
  return {
    protocol: client.protocol,
    async call<I extends DescMessage, O extends DescMessage>(
      method: DescMethodUnary<I, O>,
      request: MessageInitShape<I>,
    ) {
      const outcome = await client.call(method, request);
      if (outcome.ok) {
        const message = outcome.message as { booking?: Booking; bookings?: Booking[] };
        if (message.booking) ledger.record(message.booking);
        for (const booking of message.bookings ?? []) ledger.record(booking);
      }
      return outcome;
    },
    close: () => client.close(),
  };
}
