import {
  BookingFailure_Cause,
  type BookingFailure as BookingFailureMessage,
  type Booking as BookingMessage,
  BookingStatus as ProtoBookingStatus,
} from "../../gen/booking/partner/v3/booking_pb.js";
import {
  CreditCardType,
  type PaymentInformation,
  PaymentInformation_PaymentProcessedBy,
  PrepaymentStatus,
} from "../../gen/booking/partner/v3/payment_pb.js";
import { ConfirmationMode, type Slot } from "../../gen/booking/partner/v3/slot_pb.js";
import type { UserInformation } from "../../gen/booking/partner/v3/user_pb.js";
import type { BookingPayment, ListedBooking, ListedSlot, PrepaymentState, UserInfo } from "../booking/booking.js";
import type { BookingFailure } from "../booking/booking-failure.js";
import type { ConfirmationMode as DomainConfirmationMode } from "../booking/inventory.js";

// These build complete messages (`$typeName` and every field, as protobuf-es's create() fills them) as
// typed literals: Connect's create() then returns them as they are instead of walking an init tree, which
// is most of the cost of answering a large ListBookings. Default-valued fields stay zero, so JSON omits
// them; unset message fields stay absent.

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

/** A stored slot as the contract's Slot; resources only when the slot names one. */
export function slotToProto(slot: ListedSlot): Slot {
  const message: Slot = {
    $typeName: "booking.partner.v3.Slot",
    merchantId: slot.merchantId,
    serviceId: slot.serviceId,
    startSec: BigInt(slot.startSec),
    durationSec: BigInt(slot.durationSec),
    availabilityTag: slot.availabilityTag,
    confirmationMode: confirmationMode[slot.confirmationMode],
  };
  const { staffId, roomId, partySize } = slot;
  if (staffId || roomId || partySize) {
    message.resources = { $typeName: "booking.partner.v3.ResourceIds", staffId, roomId, partySize };
  }
  return message;
}

/**
 * A user as the contract's UserInformation; the address only when one of its parts is not empty. A user
 * stored without some part (an older row) reads as the empty string, as create() would fill it.
 */
export function userToProto(user: UserInfo): UserInformation {
  const message: UserInformation = {
    $typeName: "booking.partner.v3.UserInformation",
    userId: user.userId ?? "",
    givenName: user.givenName ?? "",
    familyName: user.familyName ?? "",
    telephone: user.telephone ?? "",
    email: user.email ?? "",
    languageCode: user.languageCode ?? "",
  };
  const { address } = user;
  if (address && Object.values(address).some((part) => part !== "")) {
    message.address = {
      $typeName: "booking.partner.v3.PostalAddress",
      country: address.country ?? "",
      locality: address.locality ?? "",
      region: address.region ?? "",
      postalCode: address.postalCode ?? "",
      streetAddress: address.streetAddress ?? "",
    };
  }
  return message;
}

/** A booking's payment as the contract's PaymentInformation; processed by the partner once charged. */
export function paymentToProto(payment: BookingPayment): PaymentInformation {
  const message: PaymentInformation = {
    $typeName: "booking.partner.v3.PaymentInformation",
    prepaymentStatus: prepaymentStatus[payment.prepayment],
    paymentTransactionId: payment.transactionId,
    paymentProcessedBy:
      payment.prepayment === "NOT_PROVIDED"
        ? PaymentInformation_PaymentProcessedBy.PAYMENT_PROCESSED_BY_UNSPECIFIED
        : PaymentInformation_PaymentProcessedBy.PROCESSED_BY_PARTNER,
    paymentId: { case: undefined },
    fraudSignals: "",
    paResponse: "",
    mdMerchantData: "",
  };
  const { price } = payment;
  if (price) {
    message.price = {
      $typeName: "booking.partner.v3.Price",
      priceMicros: BigInt(price.priceMicros),
      currencyCode: price.currencyCode,
      pricingOptionTag: "",
    };
  }
  return message;
}

/** A domain booking as the contract's Booking. */
export function bookingToProto(booking: ListedBooking): BookingMessage {
  return {
    $typeName: "booking.partner.v3.Booking",
    bookingId: booking.bookingId,
    slot: slotToProto(booking.slot),
    userInformation: userToProto(booking.user),
    status: ProtoBookingStatus[booking.status],
    paymentInformation: paymentToProto(booking.payment),
  };
}

/** A domain failure as the contract's BookingFailure; the cause is never CAUSE_UNSPECIFIED. */
export function failureToProto(failure: BookingFailure): BookingFailureMessage {
  return {
    $typeName: "booking.partner.v3.BookingFailure",
    cause: BookingFailure_Cause[failure.cause],
    rejectedCardType: cardTypeOf(failure.rejectedCardType),
    description: failure.description,
  };
}

/**
 * The contract's card type by name; anything else (a number, a name the contract lacks, a property
 * every object has, such as `constructor`) is unspecified. The name can come from a client's payment token.
 */
function cardTypeOf(name: string | undefined): CreditCardType {
  const value: unknown =
    name !== undefined && Object.hasOwn(CreditCardType, name) ? CreditCardType[name as never] : undefined;
  return typeof value === "number" ? value : CreditCardType.CREDIT_CARD_TYPE_UNSPECIFIED;
}
