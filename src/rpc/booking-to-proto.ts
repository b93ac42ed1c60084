import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  BookingFailure_Cause,
  type BookingFailureSchema,
  type BookingSchema,
  BookingStatus as ProtoBookingStatus,
} from "../../gen/booking/partner/v3/booking_pb.js";
import {
  CreditCardType,
  PaymentInformation_PaymentProcessedBy,
  PrepaymentStatus,
} from "../../gen/booking/partner/v3/payment_pb.js";
import { ConfirmationMode, type SlotSchema } from "../../gen/booking/partner/v3/slot_pb.js";
import type { UserInformationSchema } from "../../gen/booking/partner/v3/user_pb.js";
import type { Booking, PrepaymentState, UserInfo } from "../booking/booking.js";
import type { BookingFailure } from "../booking/booking-failure.js";
import type { ConfirmationMode as DomainConfirmationMode, InventorySlot } from "../booking/inventory.js";

const prepaymentStatus: Record<PrepaymentState, PrepaymentStatus> = {
  NOT_PROVIDED: PrepaymentStatus.PREPAYMENT_NOT_PROVIDED,
  PROVIDED: PrepaymentStatus.PREPAYMENT_PROVIDED,
  REFUNDED: PrepaymentStatus.PREPAYMENT_REFUNDED,
};

const confirmationMode: Record<DomainConfirmationMode, ConfirmationMode> = {
  UNSPECIFIED: ConfirmationMode.UNSPECIFIED,
  SYNCHRONOUS: ConfirmationMode.SYNCHRONOUS,
  ASYNCHRONOUS: ConfirmationMode.ASYNCHRONOUS,
};

/** The contract's PrepaymentStatus of a domain prepayment state. */
export function prepaymentStatusToProto(state: PrepaymentState): PrepaymentStatus {
  return prepaymentStatus[state];
}

/** A stored slot as the contract's Slot; default-valued fields stay unset so JSON omits them. */
export function slotToProto(slot: InventorySlot): MessageInitShape<typeof SlotSchema> {
  const { staffId, roomId, partySize } = slot;
  return {
    merchantId: slot.merchantId,
    serviceId: slot.serviceId,
    startSec: BigInt(slot.startSec),
    durationSec: BigInt(slot.durationSec),
    availabilityTag: slot.availabilityTag,
    confirmationMode: confirmationMode[slot.confirmationMode],
    ...(staffId || roomId || partySize ? { resources: { staffId, roomId, partySize } } : {}),
  };
}

/** A user as the contract's UserInformation. */
export function userToProto(user: UserInfo): MessageInitShape<typeof UserInformationSchema> {
  const { address, ...rest } = user;
  const hasAddress = address && Object.values(address).some((part) => part !== "");
  return { ...rest, ...(hasAddress ? { address } : {}) };
}

/** A domain booking as the contract's Booking. */
export function bookingToProto(booking: Booking): MessageInitShape<typeof BookingSchema> {
  const { payment } = booking;
  const charged = payment.prepayment !== "NOT_PROVIDED";
  return {
    bookingId: booking.bookingId,
    slot: slotToProto(booking.slot),
    userInformation: userToProto(booking.user),
    status: ProtoBookingStatus[booking.status],
    paymentInformation: {
      prepaymentStatus: prepaymentStatus[payment.prepayment],
      paymentTransactionId: payment.transactionId,
      ...(payment.price
        ? { price: { priceMicros: BigInt(payment.price.priceMicros), currencyCode: payment.price.currencyCode } }
        : {}),
      ...(charged ? { paymentProcessedBy: PaymentInformation_PaymentProcessedBy.PROCESSED_BY_PARTNER } : {}),
    },
  };
}

/** A domain failure as the contract's BookingFailure; the cause is never CAUSE_UNSPECIFIED. */
export function failureToProto(failure: BookingFailure): MessageInitShape<typeof BookingFailureSchema> {
  const cardType = failure.rejectedCardType as keyof typeof CreditCardType | undefined;
  return {
    cause: BookingFailure_Cause[failure.cause],
    description: failure.description,
    ...(cardType && cardType in CreditCardType ? { rejectedCardType: CreditCardType[cardType] } : {}),
  };
}
