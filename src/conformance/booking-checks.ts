import type { Booking } from "../../gen/booking/partner/v3/booking_pb.js";
import { BookingStatus } from "../../gen/booking/partner/v3/booking_pb.js";
import { PrepaymentStatus } from "../../gen/booking/partner/v3/payment_pb.js";
import type { Exchange } from "./booking-client.js";
import { rpc } from "./booking-client.js";
import {
  bookSpot,
  cancelBooking,
  createBookingRequest,
  isNewBookingStatus,
  listBookings,
  takeSpot,
} from "./booking-steps.js";
import type { Check, CheckContext } from "./check.js";
import { CheckSkipped } from "./check.js";
import { bookingStatusName, expectBooking, expectOk, fail } from "./check-expect.js";
import type { FeedSlot } from "./feed-reader.js";
import { describeSlot, slotDifferences } from "./slot-messages.js";

/** The bookings create-booking makes for the run's main user, shared with the checks that follow it. */
interface MainBookings {
  readonly userId: string;
  readonly made: readonly { readonly slot: FeedSlot; readonly booking: Booking; readonly exchange: Exchange }[];
}

function mainBookings(ctx: CheckContext): Promise<MainBookings> {
  return ctx.setup("create-booking", async () => {
    const user = ctx.user("main");
    const made: { slot: FeedSlot; booking: Booking; exchange: Exchange }[] = [];
    for (let i = 0; i < ctx.slotCount; i++) {
      // One user holds all of these, so prefer slots that do not overlap: a per-user policy may refuse.
      const slot = ctx.pool.takeSpot({ avoid: made.map((m) => m.slot) });
      if (!slot) break;
      const outcome = await ctx.client.call(rpc.createBooking, createBookingRequest(slot, user, ctx.token("main")));
      const booking = expectBooking(outcome, `CreateBooking for ${describeSlot(slot)}`);
      made.push({ slot, booking, exchange: outcome.exchange });
    }
    if (made.length === 0) throw new CheckSkipped("the feed has no slot with an open spot starting after --lead-time");
    if (made.length < ctx.slotCount) ctx.note(`the feed had open spots for ${made.length} of ${ctx.slotCount} slots`);
    return { userId: user.userId, made };
  });
}

const createBooking: Check = {
  name: "create-booking",
  description: "CreateBooking books each of N feed slots: a unique booking_id, the slot echoed, CONFIRMED.",
  needsFeed: true,
  async run(ctx) {
    const { made } = await mainBookings(ctx);
    for (const { slot, booking, exchange } of made) {
      const problems = slotDifferences(booking.slot, slot);
      if (!isNewBookingStatus(booking.status, slot)) problems.push(`status is ${bookingStatusName(booking.status)}`);
      if (problems.length > 0) {
        fail(
          `booking ${booking.bookingId} for ${describeSlot(slot)}: ${problems.join("; ")}`,
          "the requested slot echoed and status CONFIRMED",
          exchange,
        );
      }
    }
    const ids = made.map((m) => m.booking.bookingId);
    if (new Set(ids).size !== ids.length)
      fail(`booking_ids repeat across ${ids.length} bookings: ${ids.join(", ")}`, "a unique booking_id per booking");
    ctx.note(`booked ${made.length} slots`);
  },
};

const listBookingsCheck: Check = {
  name: "list-bookings",
  description: "ListBookings returns exactly the bookings made for the test user.",
  needsFeed: true,
  async run(ctx) {
    const { userId, made } = await mainBookings(ctx);
    const { bookings, outcome } = await listBookings(ctx, userId);
    const listed = new Set(bookings.map((b) => b.bookingId));
    const ours = new Set(made.map((m) => m.booking.bookingId));
    const missing = [...ours].filter((id) => !listed.has(id));
    const extra = [...listed].filter((id) => !ours.has(id));
    if (missing.length > 0 || extra.length > 0) {
      const parts = [
        missing.length ? `missing ${missing.join(", ")}` : "",
        extra.length ? `unexpected ${extra.join(", ")}` : "",
      ];
      fail(
        `ListBookings for ${userId}: ${parts.filter(Boolean).join("; ")}`,
        `exactly the ${ours.size} bookings made for this user`,
        outcome.exchange,
      );
    }
  },
};

const getBookingStatus: Check = {
  name: "get-booking-status",
  description: "GetBookingStatus answers each booking's id, status and prepayment status.",
  needsFeed: true,
  async run(ctx) {
    const { made } = await mainBookings(ctx);
    for (const { booking } of made) {
      const outcome = await ctx.client.call(rpc.getBookingStatus, { bookingId: booking.bookingId });
      const status = expectOk(outcome, `GetBookingStatus for ${booking.bookingId}`);
      const expected = `booking_id ${booking.bookingId}, booking_status ${bookingStatusName(booking.status)}, prepayment_status PREPAYMENT_NOT_PROVIDED`;
      const prepaymentOk = [
        PrepaymentStatus.PREPAYMENT_NOT_PROVIDED,
        PrepaymentStatus.PREPAYMENT_STATUS_UNSPECIFIED,
      ].includes(status.prepaymentStatus);
      if (status.bookingId !== booking.bookingId || status.bookingStatus !== booking.status || !prepaymentOk) {
        fail(
          `GetBookingStatus for ${booking.bookingId} answered booking_id "${status.bookingId}", booking_status ${bookingStatusName(status.bookingStatus)}, prepayment_status ${PrepaymentStatus[status.prepaymentStatus]}`,
          expected,
          outcome.exchange,
        );
      }
    }
  },
};

function sameOffer(from: FeedSlot): (slot: FeedSlot) => boolean {
  return (slot) =>
    slot.merchantId === from.merchantId &&
    slot.serviceId === from.serviceId &&
    slot.staffId === from.staffId &&
    slot.roomId === from.roomId &&
    slot.partySize === from.partySize &&
    slot.startSec !== from.startSec;
}

const reschedule: Check = {
  name: "reschedule",
  description: "UpdateBooking moves a booking to another feed slot of the same service and resources.",
  needsFeed: true,
  async run(ctx) {
    const { userId, made } = await mainBookings(ctx);
    const held = made.map((m) => m.slot);
    // The first booking whose slot has an open sibling (same merchant, service and resources) moves.
    let move: { booking: Booking; to: FeedSlot } | undefined;
    for (const { slot, booking } of made) {
      const to = ctx.pool.takeSpot({ avoid: held, where: sameOffer(slot) });
      if (to) {
        move = { booking, to };
        break;
      }
    }
    if (!move) {
      throw new CheckSkipped("the feed has no other open slot with the merchant, service and resources of a booking");
    }
    const { booking, to } = move;
    const moved = { startSec: BigInt(to.startSec), durationSec: BigInt(to.durationSec) };
    const outcome = await ctx.client.call(rpc.updateBooking, {
      booking: { bookingId: booking.bookingId, slot: moved },
    });
    const what = `UpdateBooking moving ${booking.bookingId} to ${describeSlot(to)}`;
    const updated = expectBooking(outcome, what);
    const problems = slotDifferences(updated.slot, to);
    if (updated.bookingId !== booking.bookingId) problems.push(`booking_id is ${updated.bookingId}`);
    if (updated.status !== booking.status) problems.push(`status is ${bookingStatusName(updated.status)}`);
    if (problems.length > 0)
      fail(
        `${what}: ${problems.join("; ")}`,
        `booking ${booking.bookingId} at the new time, status ${bookingStatusName(booking.status)}`,
        outcome.exchange,
      );
    const { bookings, outcome: listed } = await listBookings(ctx, userId);
    const stored = bookings.find((b) => b.bookingId === booking.bookingId);
    if (slotDifferences(stored?.slot, to).length > 0) {
      fail(
        `ListBookings after the move shows ${booking.bookingId} at ${stored?.slot?.startSec ?? "no slot"}`,
        `start_sec ${to.startSec}`,
        listed.exchange,
      );
    }
  },
};

const cancel: Check = {
  name: "cancel",
  description: "UpdateBooking with status CANCELED cancels a booking; GetBookingStatus then says CANCELED.",
  needsFeed: true,
  async run(ctx) {
    const { made } = await mainBookings(ctx);
    const { booking } = made[made.length - 1] as (typeof made)[number];
    const outcome = await cancelBooking(ctx, booking.bookingId);
    const cancelled = expectBooking(outcome, `UpdateBooking cancelling ${booking.bookingId}`);
    if (cancelled.bookingId !== booking.bookingId || cancelled.status !== BookingStatus.CANCELED) {
      fail(
        `cancelling ${booking.bookingId} answered booking ${cancelled.bookingId} with status ${bookingStatusName(cancelled.status)}`,
        `booking ${booking.bookingId} with status CANCELED`,
        outcome.exchange,
      );
    }
    const status = await ctx.client.call(rpc.getBookingStatus, { bookingId: booking.bookingId });
    const after = expectOk(status, `GetBookingStatus for cancelled ${booking.bookingId}`).bookingStatus;
    if (after !== BookingStatus.CANCELED)
      fail(`GetBookingStatus after the cancel says ${bookingStatusName(after)}`, "CANCELED", status.exchange);
  },
};

const cancelIdempotent: Check = {
  name: "cancel-idempotent",
  description: "Cancelling a cancelled booking again returns the CANCELED booking, not a failure.",
  needsFeed: true,
  async run(ctx) {
    const slot = takeSpot(ctx, "a booking to cancel twice");
    const booking = expectBooking(await bookSpot(ctx, slot, "cancel-twice"), `CreateBooking for ${describeSlot(slot)}`);
    expectBooking(await cancelBooking(ctx, booking.bookingId), `the first cancel of ${booking.bookingId}`);
    const again = await cancelBooking(ctx, booking.bookingId);
    const expected = `booking ${booking.bookingId} with status CANCELED again (UpdateBooking is idempotent)`;
    const repeated = expectBooking(again, `the repeated cancel of ${booking.bookingId}`, expected);
    if (repeated.bookingId !== booking.bookingId || repeated.status !== BookingStatus.CANCELED) {
      fail(
        `the repeated cancel answered booking ${repeated.bookingId} with status ${bookingStatusName(repeated.status)}`,
        expected,
        again.exchange,
      );
    }
  },
};

/** The booking lifecycle checks, in the order they depend on each other. */
export const bookingChecks: readonly Check[] = [
  createBooking,
  listBookingsCheck,
  getBookingStatus,
  reschedule,
  cancel,
  cancelIdempotent,
];
