import { clone, create, type Message, toJsonString } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  type Booking,
  BookingFailure_Cause,
  BookingSchema,
  BookingStatus,
} from "../../gen/booking/partner/v3/booking_pb.js";
import {
  type BatchAvailabilityLookupRequest,
  type BatchAvailabilityLookupResponse,
  BatchAvailabilityLookupResponseSchema,
  type CheckAvailabilityRequest,
  type CheckAvailabilityResponse,
  CheckAvailabilityResponseSchema,
  type CreateBookingRequest,
  CreateBookingRequestSchema,
  type CreateBookingResponse,
  CreateBookingResponseSchema,
  type GetBookingStatusRequest,
  type GetBookingStatusResponse,
  GetBookingStatusResponseSchema,
  HealthCheckResponseSchema,
  type ListBookingsRequest,
  type ListBookingsResponse,
  ListBookingsResponseSchema,
  type UpdateBookingRequest,
  type UpdateBookingResponse,
  UpdateBookingResponseSchema,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import { PrepaymentStatus } from "../../gen/booking/partner/v3/payment_pb.js";

/** One slot of the fake's inventory. */
export interface FakeSlot {
  readonly merchantId: string;
  readonly serviceId: string;
  readonly startSec: number;
  readonly durationSec: number;
  readonly spotsTotal: number;
  readonly staffId?: string;
  readonly roomId?: string;
  readonly partySize?: number;
}

/** Ways to make the fake break the contract, one check each. */
export interface FakeFaults {
  /** Ignores idempotency tokens: a replay makes a new booking with a new booking_id. */
  readonly replayNewBookingId?: boolean;
  /** Ignores spots_total: a slot never fills. */
  readonly doubleBook?: boolean;
  /** Answers 500 instead of 400 to a body that is not JSON. */
  readonly "500OnBadJson"?: boolean;
  /** Serves every call whatever its credentials. */
  readonly ignoresAuth?: boolean;
}

interface Held {
  booking: Booking;
  slotKey: string;
}

type Resources = { staffId?: string; roomId?: string; partySize?: number } | undefined;

function keyOf(merchantId: string, serviceId: string, start: bigint, duration: bigint, r: Resources): string {
  return [merchantId, serviceId, start, duration, r?.staffId ?? "", r?.roomId ?? "", r?.partySize ?? 0].join("|");
}

/** The booking rules of a correct Booking Server v3, in memory, with optional faults. */
export class FakeBookingCore {
  private readonly inventory = new Map<string, FakeSlot>();
  private readonly bookings = new Map<string, Held>();
  private readonly tokens = new Map<string, { fingerprint: string; response: CreateBookingResponse }>();
  private sequence = 0;

  constructor(
    inventory: readonly FakeSlot[],
    private readonly faults: FakeFaults = {},
  ) {
    for (const slot of inventory) {
      const key = keyOf(slot.merchantId, slot.serviceId, BigInt(slot.startSec), BigInt(slot.durationSec), slot);
      this.inventory.set(key, slot);
    }
  }

  /** Bookings not cancelled, for tests asserting that a run cleaned up. */
  activeBookings(): Booking[] {
    return [...this.bookings.values()].map((h) => h.booking).filter((b) => b.status !== BookingStatus.CANCELED);
  }

  batchAvailabilityLookup(request: BatchAvailabilityLookupRequest): BatchAvailabilityLookupResponse {
    return create(BatchAvailabilityLookupResponseSchema, {
      slotTimeAvailability: request.slotTime.map((slotTime) => ({
        slotTime,
        available:
          this.spotsLeft(
            keyOf(
              request.merchantId,
              slotTime.serviceId,
              slotTime.startSec,
              slotTime.durationSec,
              slotTime.resourceIds,
            ),
          ) > 0,
      })),
    });
  }

  checkAvailability(request: CheckAvailabilityRequest): CheckAvailabilityResponse {
    const slot = request.slot;
    if (!slot) throw new ConnectError("slot is required", Code.InvalidArgument);
    const key = keyOf(slot.merchantId, slot.serviceId, slot.startSec, slot.durationSec, slot.resources);
    return create(CheckAvailabilityResponseSchema, { slot, countAvailable: Math.max(0, this.spotsLeft(key)) });
  }

  /** Returns the response and whether it replays an earlier one. */
  createBooking(request: CreateBookingRequest): { response: CreateBookingResponse; replayed: boolean } {
    const token = request.idempotencyToken;
    if (!token) throw new ConnectError("idempotency_token is required", Code.InvalidArgument);
    const fingerprint = toJsonString(CreateBookingRequestSchema, { ...request, idempotencyToken: "" });
    const earlier = this.tokens.get(token);
    if (earlier && earlier.fingerprint !== fingerprint) {
      throw new ConnectError("idempotency_token was used for a different request", Code.InvalidArgument);
    }
    if (earlier && this.faults.replayNewBookingId) return { response: this.rebook(earlier.response), replayed: false };
    if (earlier) return { response: earlier.response, replayed: true };
    const slot = request.slot;
    if (!slot?.merchantId || !slot.serviceId) {
      throw new ConnectError("slot.merchant_id and slot.service_id are required", Code.InvalidArgument);
    }
    const key = keyOf(slot.merchantId, slot.serviceId, slot.startSec, slot.durationSec, slot.resources);
    const userId = request.userInformation?.userId ?? "";
    const failure = (cause: BookingFailure_Cause) => create(CreateBookingResponseSchema, { bookingFailure: { cause } });
    if (this.spotsLeft(key) <= 0) return { response: failure(BookingFailure_Cause.SLOT_UNAVAILABLE), replayed: false };
    if (this.held(key).some((h) => h.booking.userInformation?.userId === userId)) {
      return { response: failure(BookingFailure_Cause.SLOT_ALREADY_BOOKED_BY_USER), replayed: false };
    }
    this.sequence += 1;
    const booking = create(BookingSchema, {
      bookingId: `fake-${this.sequence}`,
      slot,
      userInformation: request.userInformation,
      status: BookingStatus.CONFIRMED,
      paymentInformation: {
        prepaymentStatus: request.paymentInformation?.prepaymentStatus || PrepaymentStatus.PREPAYMENT_NOT_PROVIDED,
      },
    });
    this.bookings.set(booking.bookingId, { booking, slotKey: key });
    const response = create(CreateBookingResponseSchema, { booking: clone(BookingSchema, booking) });
    this.tokens.set(token, { fingerprint, response });
    return { response, replayed: false };
  }

  updateBooking(request: UpdateBookingRequest): UpdateBookingResponse {
    const held = this.find(request.booking?.bookingId ?? "");
    const change = request.booking as Booking;
    const answer = () => create(UpdateBookingResponseSchema, { booking: clone(BookingSchema, held.booking) });
    if (change.status === BookingStatus.CANCELED) {
      held.booking.status = BookingStatus.CANCELED;
      return answer();
    }
    if (!change.slot) throw new ConnectError("nothing to update", Code.InvalidArgument);
    if (held.booking.status === BookingStatus.CANCELED) {
      return create(UpdateBookingResponseSchema, {
        bookingFailure: { cause: BookingFailure_Cause.BOOKING_ALREADY_CANCELLED },
      });
    }
    const from = held.booking.slot;
    const key = keyOf(
      from?.merchantId ?? "",
      from?.serviceId ?? "",
      change.slot.startSec,
      change.slot.durationSec,
      from?.resources,
    );
    if (key === held.slotKey) return answer();
    if (this.spotsLeft(key) <= 0) {
      return create(UpdateBookingResponseSchema, { bookingFailure: { cause: BookingFailure_Cause.SLOT_UNAVAILABLE } });
    }
    if (from) {
      from.startSec = change.slot.startSec;
      from.durationSec = change.slot.durationSec;
    }
    held.slotKey = key;
    return answer();
  }

  getBookingStatus(request: GetBookingStatusRequest): GetBookingStatusResponse {
    const { booking } = this.find(request.bookingId);
    return create(GetBookingStatusResponseSchema, {
      bookingId: booking.bookingId,
      bookingStatus: booking.status,
      prepaymentStatus: booking.paymentInformation?.prepaymentStatus,
    });
  }

  listBookings(request: ListBookingsRequest): ListBookingsResponse {
    const bookings = [...this.bookings.values()]
      .map((h) => h.booking)
      .filter((b) => b.userInformation?.userId === request.userId);
    return create(ListBookingsResponseSchema, { bookings });
  }

  // The replayNewBookingId fault: the replay books the same slot again under a new id.
  private rebook(earlier: CreateBookingResponse): CreateBookingResponse {
    const first = this.bookings.get(earlier.booking?.bookingId ?? "") as Held;
    this.sequence += 1;
    const booking = clone(BookingSchema, first.booking);
    booking.bookingId = `fake-${this.sequence}`;
    this.bookings.set(booking.bookingId, { booking, slotKey: first.slotKey });
    return create(CreateBookingResponseSchema, { booking: clone(BookingSchema, booking) });
  }

  private find(bookingId: string): Held {
    const held = this.bookings.get(bookingId);
    if (!held) throw new ConnectError(`booking ${JSON.stringify(bookingId)} does not exist`, Code.InvalidArgument);
    return held;
  }

  private held(key: string): Held[] {
    return [...this.bookings.values()].filter((h) => h.slotKey === key && h.booking.status !== BookingStatus.CANCELED);
  }

  // Unknown and past slots have no spot; with doubleBook a known slot never fills.
  private spotsLeft(key: string): number {
    const slot = this.inventory.get(key);
    if (!slot || slot.startSec <= Date.now() / 1000) return 0;
    return this.faults.doubleBook ? slot.spotsTotal : slot.spotsTotal - this.held(key).length;
  }
}

/** Names of the RPCs the fake serves, as in `/v3/<Name>`. */
export type FakeMethodName =
  | "HealthCheck"
  | "BatchAvailabilityLookup"
  | "CheckAvailability"
  | "CreateBooking"
  | "UpdateBooking"
  | "GetBookingStatus"
  | "ListBookings";

/** Routes a decoded request to the core by method name; throws ConnectError for transport errors. */
export function dispatchFake(
  core: FakeBookingCore,
  name: string,
  request: unknown,
  withoutCheckAvailability = false,
): { message: Message; replayed: boolean } {
  const answer = (message: Message) => ({ message, replayed: false });
  switch (name as FakeMethodName) {
    case "HealthCheck":
      return answer(create(HealthCheckResponseSchema));
    case "BatchAvailabilityLookup":
      return answer(core.batchAvailabilityLookup(request as BatchAvailabilityLookupRequest));
    case "CheckAvailability":
      if (withoutCheckAvailability) throw new ConnectError("CheckAvailability is not offered", Code.Unimplemented);
      return answer(core.checkAvailability(request as CheckAvailabilityRequest));
    case "CreateBooking": {
      const { response, replayed } = core.createBooking(request as CreateBookingRequest);
      return { message: response, replayed };
    }
    case "UpdateBooking":
      return answer(core.updateBooking(request as UpdateBookingRequest));
    case "GetBookingStatus":
      return answer(core.getBookingStatus(request as GetBookingStatusRequest));
    case "ListBookings":
      return answer(core.listBookings(request as ListBookingsRequest));
    default:
      throw new ConnectError(`no method ${name}`, Code.NotFound);
  }
}
