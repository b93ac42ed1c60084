import type { ChargeRequest } from "./payment-processor.js";
import { type PaymentDecline, type PaymentFailureCause, paymentFailureCauses } from "./payment-processor.js";

const prefix = "test:decline:";

/**
 * Declines a charge whose payment token reads `test:decline:<CAUSE>[:<CARD_TYPE>]`, e.g.
 * `test:decline:PAYMENT_ERROR_CARD_DECLINED`; lets integrators exercise every PAYMENT_* cause against the
 * built-in ledger, which never moves real money.
 */
export function testTokenDeclineRule(request: ChargeRequest): PaymentDecline | undefined {
  if (!request.paymentToken.startsWith(prefix)) return undefined;
  const [cause, cardType] = request.paymentToken.slice(prefix.length).split(":");
  const known = paymentFailureCauses.find((c) => c === cause);
  const decline: PaymentDecline = {
    cause: known ?? ("PAYMENT_ERROR" satisfies PaymentFailureCause),
    description: "declined by test payment token",
  };
  if (decline.cause === "PAYMENT_ERROR_CARD_TYPE_REJECTED") decline.rejectedCardType = cardType ?? "";
  return decline;
}
