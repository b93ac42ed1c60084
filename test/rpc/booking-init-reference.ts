import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  BookingFailure_Cause,
  type BookingFailureSchema,
  type BookingSchema,
  BookingStatus,
} from "../../gen/booking/partner/v3/booking_pb.js";
import {
  CreditCardType,
  PaymentInformation_PaymentProcessedBy,
  PrepaymentStatus,
} from "../../gen/booking/partner/v3/payment_pb.js";
import { ConfirmationMode, type SlotSchema } from "../../gen/booking/partner/v3/slot_pb.js";
import type { UserInformationSchema } from "../../gen/booking/partner/v3/user_pb.js";
import type { Booking, UserInfo } from "../../src/booking/booking.js";
import type { BookingFailure } from "../../src/booking/booking-failure.js";
import type { InventorySlot } from "../../src/booking/inventory.js";

// The contract mapping written as init shapes for protobuf-es's create() to complete: the reference that
// the complete messages of src/rpc/booking-to-proto.ts must match field for field and byte for byte.

function slotInit(slot: InventorySlot): MessageInitShape<typeof SlotSchema> {
  const { staffId, roomId, partySize } = slot;
  return {
    merchantId: slot.merchantId,
    serviceId: slot.serviceId,
    startSec: BigInt(slot.startSec),
    durationSec: BigInt(slot.durationSec),
    availabilityTag: slot.availabilityTag,
    confirmationMode: ConfirmationMode[slot.confirmationMode],
    ...(staffId || roomId || partySize ? { resources: { staffId, roomId, partySize } } : {}),
  };
}

/** A user as an init shape: every part it has, the address when one of its parts is not empty. */
export function userInit(user: UserInfo): MessageInitShape<typeof UserInformationSchema> {
  const { address, ...rest } = user;
  const hasAddress = address && Object.values(address).some((part) => part !== "");
  return { ...rest, ...(hasAddress ? { address } : {}) };
}

/** A booking as an init shape. */
export function bookingInit(booking: Booking): MessageInitShape<typeof BookingSchema> {
  const { payment } = booking;
  const charged = payment.prepayment !== "NOT_PROVIDED";
  return {
    bookingId: booking.bookingId,
    slot: slotInit(booking.slot),
    userInformation: userInit(booking.user),
    status: BookingStatus[booking.status],
    paymentInformation: {
      prepaymentStatus: PrepaymentStatus[`PREPAYMENT_${payment.prepayment}`],
      paymentTransactionId: payment.transactionId,
      ...(payment.price
        ? { price: { priceMicros: BigInt(payment.price.priceMicros), currencyCode: payment.price.currencyCode } }
        : {}),
      ...(charged ? { paymentProcessedBy: PaymentInformation_PaymentProcessedBy.PROCESSED_BY_PARTNER } : {}),
    },
  };
}

/** A failure as an init shape. */
export function failureInit(failure: BookingFailure): MessageInitShape<typeof BookingFailureSchema> {
  const cardType = failure.rejectedCardType as keyof typeof CreditCardType | undefined;
  return {
    cause: BookingFailure_Cause[failure.cause],
    description: failure.description,
    ...(cardType && cardType in CreditCardType ? { rejectedCardType: CreditCardType[cardType] } : {}),
  };
}
