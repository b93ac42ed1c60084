import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Booking } from "../../gen/booking/partner/v3/booking_pb.js";
import { BookingStatus } from "../../gen/booking/partner/v3/booking_pb.js";
import type { CreateBookingRequestSchema } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { PrepaymentStatus } from "../../gen/booking/partner/v3/payment_pb.js";
import { ConfirmationMode } from "../../gen/booking/partner/v3/slot_pb.js";
import type { UserInformationSchema } from "../../gen/booking/partner/v3/user_pb.js";
import type { CallOutcome } from "./booking-client.js";
import { rpc } from "./booking-client.js";
import type { CheckContext } from "./check.js";
import { CheckSkipped } from "./check.js";
import type { BookingResult } from "./check-expect.js";
import { expectBooking, expectOk } from "./check-expect.js";
import type { FeedSlot } from "./feed-reader.js";
import { describeSlot, slotOf } from "./slot-messages.js";
import type { TakeSpotOptions } from "./slot-pool.js";

/** Checks that fill a slot only use slots with at most this many open spots. */
export const maxSpotsToFill = 20;

/** The CreateBooking request Google would send for a feed slot. */
export function createBookingRequest(
  slot: FeedSlot,
  user: MessageInitShape<typeof UserInformationSchema>,
  idempotencyToken: string,
): MessageInitShape<typeof CreateBookingRequestSchema> {
  return {
    slot: slotOf(slot),
    userInformation: user,
    paymentInformation: { prepaymentStatus: PrepaymentStatus.PREPAYMENT_NOT_PROVIDED },
    idempotencyToken,
  };
}

/** Takes one open spot from the run's feed slots, or skips the check naming what it was for. */
export function takeSpot(ctx: CheckContext, purpose: string, options?: TakeSpotOptions): FeedSlot {
  const slot = ctx.pool.takeSpot(options);
  if (!slot)
    throw new CheckSkipped(`the feed has no open spot left for ${purpose}; list more slots starting after --lead-time`);
  return slot;
}

/** Claims a whole small slot for a check that fills it, or skips the check. */
export function claimWholeSlot(ctx: CheckContext): FeedSlot {
  const slot = ctx.pool.claimWholeSlot(maxSpotsToFill);
  if (!slot) {
    throw new CheckSkipped(`the feed has no untouched slot with at most ${maxSpotsToFill} open spots left to fill`);
  }
  return slot;
}

/** Books one spot of `slot` for a fresh user and token labelled `label`. */
export function bookSpot(ctx: CheckContext, slot: FeedSlot, label: string): Promise<CallOutcome<BookingResult>> {
  return ctx.client.call(rpc.createBooking, createBookingRequest(slot, ctx.user(label), ctx.token(label)));
}

/** Books every open spot of `slot`, each for its own user; fails if the server refuses one. */
export async function fillSlot(ctx: CheckContext, slot: FeedSlot, label: string): Promise<Booking[]> {
  const bookings: Booking[] = [];
  for (let i = 1; i <= slot.spotsOpen; i++) {
    const outcome = await bookSpot(ctx, slot, `${label}-${i}`);
    const what = `CreateBooking ${i} of ${slot.spotsOpen} on ${describeSlot(slot)} (spots_open ${slot.spotsOpen} in the feed)`;
    bookings.push(expectBooking(outcome, what));
  }
  return bookings;
}

/** Cancels a booking through UpdateBooking, as Google does. */
export function cancelBooking(ctx: CheckContext, bookingId: string): Promise<CallOutcome<BookingResult>> {
  return ctx.client.call(rpc.updateBooking, { booking: { bookingId, status: BookingStatus.CANCELED } });
}

/** The bookings ListBookings returns for `userId`. */
export async function listBookings(
  ctx: CheckContext,
  userId: string,
): Promise<{ bookings: Booking[]; outcome: CallOutcome<unknown> }> {
  const outcome = await ctx.client.call(rpc.listBookings, { userId });
  return { bookings: expectOk(outcome, `ListBookings for user ${userId}`).bookings, outcome };
}

/** Whether `status` is what a new booking of `slot` may have: CONFIRMED, or pending for async slots. */
export function isNewBookingStatus(status: BookingStatus, slot: FeedSlot): boolean {
  if (status === BookingStatus.CONFIRMED) return true;
  return (
    slot.confirmationMode === ConfirmationMode.ASYNCHRONOUS && status === BookingStatus.PENDING_MERCHANT_CONFIRMATION
  );
}
