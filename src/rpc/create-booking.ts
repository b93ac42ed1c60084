import { fromBinary, toBinary } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import {
  type CreateBookingRequest,
  type CreateBookingResponse,
  CreateBookingResponseSchema,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import type { Slot } from "../../gen/booking/partner/v3/slot_pb.js";
import type { UserInformation } from "../../gen/booking/partner/v3/user_pb.js";
import type { UserInfo } from "../booking/booking.js";
import type { BookingEngine } from "../booking/booking-engine.js";
import type { CreateBookingInput } from "../booking/place-booking.js";
import { withDomainErrors } from "../contract/booking-error-to-connect.js";
import { type AggregatorDirectory, aggregatorOf } from "../contract/caller-context.js";
import { bookingToProto, failureToProto } from "./booking-to-proto.js";
import { createBookingFingerprint } from "./request-fingerprint.js";
import { slotKeyOf } from "./slot-key.js";

/** The response header that marks a replayed CreateBooking answer. */
export const replayHeader = "idempotent-replayed";

/**
 * CreateBooking: books a validated request through the engine, and answers with the exact bytes stored for the
 * (aggregator, idempotency_token) pair, so a replay is byte-identical on every protocol and with every
 * credential of the aggregator.
 */
export function createCreateBookingHandler(engine: BookingEngine, aggregators: AggregatorDirectory) {
  return async (req: CreateBookingRequest, ctx: HandlerContext): Promise<CreateBookingResponse> => {
    const input = readCreateBooking(req, aggregatorOf(aggregators, ctx.values));
    const outcome = await withDomainErrors(() => engine.createBooking(input));
    if (outcome.kind === "failed") {
      return { $typeName: "booking.partner.v3.CreateBookingResponse", bookingFailure: failureToProto(outcome.failure) };
    }
    if (outcome.kind === "replayed") ctx.responseHeader.set(replayHeader, "true");
    return fromBinary(CreateBookingResponseSchema, outcome.response);
  };
}

/** The engine's input; validation has made sure the slot and the user are there. */
function readCreateBooking(req: CreateBookingRequest, caller: string): CreateBookingInput {
  const price = req.paymentInformation?.price;
  return {
    caller,
    idempotencyToken: req.idempotencyToken,
    fingerprint: createBookingFingerprint(req),
    slot: slotKeyOf(req.slot as Slot),
    user: readUser(req.userInformation as UserInformation),
    paymentToken: req.paymentProcessingParameters?.unparsedPaymentMethodToken ?? "",
    ...(price && (price.priceMicros !== 0n || price.currencyCode !== "")
      ? { expectedPrice: { priceMicros: Number(price.priceMicros), currencyCode: price.currencyCode } }
      : {}),
    offerId: req.offerId,
    leaseId: req.leaseRef?.leaseId ?? "",
    render: (booking) =>
      toBinary(CreateBookingResponseSchema, {
        $typeName: "booking.partner.v3.CreateBookingResponse",
        booking: bookingToProto(booking),
      }),
  };
}

function readUser(user: UserInformation): UserInfo {
  const info: UserInfo = {
    userId: user.userId,
    givenName: user.givenName,
    familyName: user.familyName,
    telephone: user.telephone,
    email: user.email,
    languageCode: user.languageCode,
  };
  if (user.address) {
    const { country, locality, region, postalCode, streetAddress } = user.address;
    info.address = { country, locality, region, postalCode, streetAddress };
  }
  return info;
}
