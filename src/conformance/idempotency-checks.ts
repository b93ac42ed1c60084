import { equals } from "@bufbuild/protobuf";
import { BookingFailure_Cause } from "../../gen/booking/partner/v3/booking_pb.js";
import { CreateBookingResponseSchema } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { lookupAvailability } from "./availability-checks.js";
import { rpc } from "./booking-client.js";
import {
  cancelBooking,
  claimWholeSlot,
  createBookingRequest,
  fillSlot,
  listBookings,
  takeSpot,
} from "./booking-steps.js";
import type { Check, CheckContext } from "./check.js";
import { causeName, describeError, expectBooking, expectFailureCause, expectStatus, fail } from "./check-expect.js";
import { describeSlot } from "./slot-messages.js";

/** How many identical CreateBooking calls concurrent-duplicates sends at once. */
export const concurrentDuplicates = 10;

// A duplicate still in flight may be turned away with a retryable status; Google then retries.
const retryableStatuses = new Set(["ABORTED", "UNAVAILABLE", "RESOURCE_EXHAUSTED"]);

async function expectOneBooking(ctx: CheckContext, userId: string, bookingId: string, after: string) {
  const { bookings, outcome } = await listBookings(ctx, userId);
  const ids = bookings.map((b) => b.bookingId);
  if (ids.length !== 1 || ids[0] !== bookingId) {
    fail(
      `ListBookings after ${after} shows ${ids.length} bookings (${ids.join(", ") || "none"})`,
      `only booking ${bookingId}`,
      outcome.exchange,
    );
  }
}

const replayIdentical: Check = {
  name: "replay-identical",
  description: "The same CreateBooking sent twice gets an identical response and makes one booking.",
  needsFeed: true,
  async run(ctx) {
    const slot = takeSpot(ctx, "the replay");
    const user = ctx.user("replay");
    const request = createBookingRequest(slot, user, ctx.token("replay"));
    const first = await ctx.client.call(rpc.createBooking, request);
    const booking = expectBooking(first, `CreateBooking for ${describeSlot(slot)}`);
    const second = await ctx.client.call(rpc.createBooking, request);
    const expected = `the first response again, booking_id ${booking.bookingId}: ${JSON.stringify(first.exchange.response)}`;
    const replayed = expectBooking(second, "the replayed CreateBooking", expected);
    if (replayed.bookingId !== booking.bookingId) {
      fail(
        `the replay returned booking_id ${replayed.bookingId}, the first call returned ${booking.bookingId}`,
        expected,
        second.exchange,
      );
    }
    if (first.ok && second.ok && !equals(CreateBookingResponseSchema, first.message, second.message)) {
      fail("the replay's response differs from the first response", expected, second.exchange);
    }
    if (second.ok && second.replayed) ctx.note("the server marked the replay with Idempotent-Replayed: true");
    await expectOneBooking(ctx, user.userId, booking.bookingId, "a replayed CreateBooking");
  },
};

const tokenReuseRefused: Check = {
  name: "token-reuse-refused",
  description: "An idempotency_token reused for a different request is refused with 400 / INVALID_ARGUMENT.",
  needsFeed: true,
  async run(ctx) {
    const slot = takeSpot(ctx, "the token's first booking");
    const other = takeSpot(ctx, "the request that reuses the token", { avoid: [slot] });
    const user = ctx.user("token-reuse");
    const token = ctx.token("token-reuse");
    const first = expectBooking(
      await ctx.client.call(rpc.createBooking, createBookingRequest(slot, user, token)),
      `CreateBooking for ${describeSlot(slot)}`,
    );
    const reuse = await ctx.client.call(rpc.createBooking, createBookingRequest(other, user, token));
    const what = `CreateBooking for ${describeSlot(other)} reusing the token of booking ${first.bookingId}`;
    const made = reuse.ok ? reuse.message.booking?.bookingId : undefined;
    if (made) {
      const how = made === first.bookingId ? "answered with the earlier booking" : `made a second booking ${made}`;
      fail(`${what} ${how}`, "HTTP 400 / INVALID_ARGUMENT and nothing created", reuse.exchange);
    }
    expectStatus(reuse, "INVALID_ARGUMENT", what);
    await expectOneBooking(ctx, user.userId, first.bookingId, "a refused token reuse");
  },
};

const failedAttemptRetried: Check = {
  name: "failed-attempt-retried",
  description: "A CreateBooking that failed (slot full) is processed afresh when retried after a spot frees up.",
  needsFeed: true,
  async run(ctx) {
    const slot = claimWholeSlot(ctx);
    const fillers = await fillSlot(ctx, slot, "retry-filler");
    const request = createBookingRequest(slot, ctx.user("retry"), ctx.token("retry"));
    const attempt = await ctx.client.call(rpc.createBooking, request);
    expectFailureCause(
      attempt,
      BookingFailure_Cause.SLOT_UNAVAILABLE,
      `CreateBooking on ${describeSlot(slot)} with all ${slot.spotsOpen} open spots booked`,
    );
    const freed = (fillers[0] ?? fail("no booking to cancel")).bookingId;
    expectBooking(await cancelBooking(ctx, freed), `UpdateBooking cancelling ${freed} to free a spot`);
    const retry = await ctx.client.call(rpc.createBooking, request);
    if (retry.ok && retry.message.bookingFailure?.cause === BookingFailure_Cause.SLOT_UNAVAILABLE) {
      const lookup = await lookupAvailability(ctx, [slot]);
      const why = lookup.available[0]
        ? "although BatchAvailabilityLookup shows the slot available: the failed attempt's answer was replayed"
        : `and BatchAvailabilityLookup also says unavailable: cancelling ${freed} did not free its spot`;
      fail(
        `the identical retry answered SLOT_UNAVAILABLE again ${why}`,
        "a booking: a failed attempt is processed afresh on retry",
        retry.exchange,
      );
    }
    expectBooking(
      retry,
      "the retried CreateBooking after a spot was freed",
      "a booking: a failed attempt is processed afresh on retry",
    );
  },
};

const concurrentDuplicatesCheck: Check = {
  name: "concurrent-duplicates",
  description: `${concurrentDuplicates} concurrent identical CreateBooking calls make exactly one booking.`,
  needsFeed: true,
  async run(ctx) {
    const slot = takeSpot(ctx, "the concurrent duplicates");
    const user = ctx.user("concurrent");
    const request = createBookingRequest(slot, user, ctx.token("concurrent"));
    const outcomes = await Promise.all(
      Array.from({ length: concurrentDuplicates }, () => ctx.client.call(rpc.createBooking, request)),
    );
    const ids = new Set<string>();
    for (const outcome of outcomes) {
      if (outcome.ok && outcome.message.booking?.bookingId) ids.add(outcome.message.booking.bookingId);
      else if (outcome.ok || !retryableStatuses.has(outcome.error.code)) {
        const cause = outcome.ok ? outcome.message.bookingFailure?.cause : undefined;
        const answer = outcome.ok
          ? cause === undefined
            ? "no booking"
            : `booking_failure ${causeName(cause)}`
          : describeError(outcome);
        fail(
          `a duplicate answered ${answer}`,
          "the one booking, or a retryable ABORTED / UNAVAILABLE",
          outcome.exchange,
        );
      }
    }
    const [bookingId, ...others] = [...ids];
    if (!bookingId)
      fail(`none of ${concurrentDuplicates} identical calls made a booking`, "one booking", outcomes[0]?.exchange);
    if (others.length > 0) {
      fail(
        `${concurrentDuplicates} identical calls with one idempotency_token made ${ids.size} bookings: ${[...ids].join(", ")}`,
        "one booking_id for every answer",
        outcomes.find((o) => o.ok && o.message.booking?.bookingId === others[0])?.exchange,
      );
    }
    const answered = outcomes.filter((o) => o.ok).length;
    const refused = concurrentDuplicates - answered;
    ctx.note(
      `${answered} of ${concurrentDuplicates} answered booking ${bookingId}${refused ? `, ${refused} a retryable error` : ""}`,
    );
    await expectOneBooking(ctx, user.userId, bookingId, `${concurrentDuplicates} concurrent duplicates`);
  },
};

/** Checks of CreateBooking's idempotency_token rules. */
export const idempotencyChecks: readonly Check[] = [
  replayIdentical,
  tokenReuseRefused,
  failedAttemptRetried,
  concurrentDuplicatesCheck,
];
