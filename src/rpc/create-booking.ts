import { create, fromBinary, type MessageInitShape, toBinary } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import {
  type CreateBookingRequest,
  CreateBookingResponseSchema,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import type { UserInformation } from "../../gen/booking/partner/v3/user_pb.js";
import type { UserInfo } from "../booking/booking.js";
import type { BookingEngine } from "../booking/booking-engine.js";
import type { CreateBookingInput } from "../booking/place-booking.js";
import { withDomainErrors } from "../contract/booking-error-to-connect.js";
import { type AggregatorDirectory, aggregatorOf } from "../contract/caller-context.js";
import { invalidFields } from "../contract/errors.js";
import { bookingToProto, failureToProto } from "./booking-to-proto.js";
import { RequestFields } from "./request-fields.js";
import { createBookingFingerprint } from "./request-fingerprint.js";

/** The response header that marks a replayed CreateBooking answer. */
export const replayHeader = "idempotent-replayed";

/**
 * CreateBooking: validates, books through the engine, and answers with the exact bytes stored for the
 * (aggregator, idempotency_token) pair, so a replay is byte-identical on every protocol and with every
 * credential of the aggregator.
 */
export function createCreateBookingHandler(engine: BookingEngine, aggregators: AggregatorDirectory) {
  return async (
    req: CreateBookingRequest,
    ctx: HandlerContext,
  ): Promise<MessageInitShape<typeof CreateBookingResponseSchema>> => {
    const input = readCreateBooking(req, aggregatorOf(aggregators, ctx.values));
    const outcome = await withDomainErrors(() => engine.createBooking(input));
    if (outcome.kind === "failed") return { bookingFailure: failureToProto(outcome.failure) };
    if (outcome.kind === "replayed") ctx.responseHeader.set(replayHeader, "true");
    return fromBinary(CreateBookingResponseSchema, outcome.response);
  };
}

function readCreateBooking(req: CreateBookingRequest, caller: string): CreateBookingInput {
  const fields = new RequestFields();
  const slot = fields.slot(req.slot, "slot", { durationRequired: true });
  const user = readUser(fields, req.userInformation);
  const idempotencyToken = fields.text(req.idempotencyToken, "idempotency_token");
  const price = req.paymentInformation?.price;
  if (fields.violations.length > 0) throw invalidFields(fields.violations);
  return {
    caller,
    idempotencyToken,
    fingerprint: createBookingFingerprint(req),
    slot,
    user,
    paymentToken: req.paymentProcessingParameters?.unparsedPaymentMethodToken ?? "",
    ...(price && (price.priceMicros !== 0n || price.currencyCode !== "")
      ? { expectedPrice: { priceMicros: Number(price.priceMicros), currencyCode: price.currencyCode } }
      : {}),
    offerId: req.offerId,
    leaseId: req.leaseRef?.leaseId ?? "",
    render: (booking) =>
      toBinary(CreateBookingResponseSchema, create(CreateBookingResponseSchema, { booking: bookingToProto(booking) })),
  };
}

function readUser(fields: RequestFields, user: UserInformation | undefined): UserInfo {
  if (!user) {
    fields.violation("user_information", "is required");
    return { userId: "", givenName: "", familyName: "", telephone: "", email: "", languageCode: "" };
  }
  const info: UserInfo = {
    userId: fields.text(user.userId, "user_information.user_id"),
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
