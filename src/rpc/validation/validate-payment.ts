import {
  type PaymentInformation,
  PaymentInformation_PaymentProcessedBySchema,
  type PaymentProcessingParameters,
  PrepaymentStatusSchema,
  type Price,
} from "../../../gen/booking/partner/v3/payment_pb.js";
import type { FieldViolation } from "../../contract/errors.js";
import { checkEnum, checkText } from "./field-checks.js";
import { fieldLimits } from "./validation-limits.js";

const currencyCode = /^[A-Z]{3}$/;

function validatePrice(out: FieldViolation[], path: string, price: Price | undefined): void {
  if (!price) return;
  if (price.priceMicros < 0n) out.push({ field: `${path}.price_micros`, description: "must not be negative" });
  if (price.currencyCode !== "" && !currencyCode.test(price.currencyCode)) {
    out.push({ field: `${path}.currency_code`, description: "must be an ISO 4217 code such as USD" });
  }
  checkText(out, `${path}.pricing_option_tag`, price.pricingOptionTag, { maxChars: fieldLimits.idChars });
}

/** Checks the optional PaymentInformation of a booking request: known enums, sane prices, bounded ids. */
export function validatePaymentInformation(
  out: FieldViolation[],
  path: string,
  payment: PaymentInformation | undefined,
): void {
  if (!payment) return;
  const id = { maxChars: fieldLimits.idChars };
  const blob = { maxChars: fieldLimits.paymentBlobChars, multiline: true };
  checkEnum(out, `${path}.prepayment_status`, payment.prepaymentStatus, PrepaymentStatusSchema);
  checkEnum(
    out,
    `${path}.payment_processed_by`,
    payment.paymentProcessedBy,
    PaymentInformation_PaymentProcessedBySchema,
  );
  checkText(out, `${path}.payment_transaction_id`, payment.paymentTransactionId, id);
  if (payment.paymentId.case !== undefined) {
    const field = payment.paymentId.case === "paymentOptionId" ? "payment_option_id" : "user_payment_option_id";
    checkText(out, `${path}.${field}`, payment.paymentId.value, id);
  }
  validatePrice(out, `${path}.price`, payment.price);
  validatePrice(out, `${path}.tax_amount`, payment.taxAmount);
  validatePrice(out, `${path}.fees`, payment.fees);
  validatePrice(out, `${path}.fees_and_taxes`, payment.feesAndTaxes);
  validatePrice(out, `${path}.deposit.deposit`, payment.deposit?.deposit);
  validatePrice(out, `${path}.no_show_fee.fee`, payment.noShowFee?.fee);
  checkText(out, `${path}.fraud_signals`, payment.fraudSignals, blob);
  checkText(out, `${path}.pa_response`, payment.paResponse, blob);
  checkText(out, `${path}.md_merchant_data`, payment.mdMerchantData, blob);
}

/** Checks the size of the payment tokens a booking request carries. */
export function validatePaymentProcessingParameters(
  out: FieldViolation[],
  path: string,
  params: PaymentProcessingParameters | undefined,
): void {
  if (!params) return;
  const blob = { maxChars: fieldLimits.paymentBlobChars, multiline: true };
  checkText(out, `${path}.unparsed_payment_method_token`, params.unparsedPaymentMethodToken, blob);
  checkText(out, `${path}.payment_method_token`, params.paymentMethodToken, blob);
}
