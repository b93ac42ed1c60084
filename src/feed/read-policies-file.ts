import type { MerchantPolicy, ServicePolicy } from "../booking/inventory.js";
import { type FeedIssue, FieldReader } from "./feed-issues.js";
import type { JsonNode } from "./json-with-positions.js";

/** The merchant and service policies of a policies file. */
export interface Policies {
  merchants: MerchantPolicy[];
  services: ServicePolicy[];
}

/**
 * Validates a policies file: `{"merchants": [{merchant_id, name, time_zone, max_active_bookings_per_user,
 * forbid_overlapping}], "services": [{merchant_id, service_id, min_advance_cancellation_sec,
 * prepayment: {price_micros, currency_code}, refund_window_sec}]}`; every field but the ids is optional.
 */
export function readPolicies(root: JsonNode): { policies?: Policies; issues: FeedIssue[] } {
  const r = new FieldReader();
  const top = r.object(root, "$", root);
  if (!top) return { issues: r.issues };
  const merchants: MerchantPolicy[] = [];
  (r.array(top.entries.get("merchants"), "merchants", top, false) ?? []).forEach((node, i) => {
    const path = `merchants[${i}]`;
    const m = r.object(node, path, node);
    if (!m) return;
    const merchantId = r.string(m, "merchant_id", path, { required: true });
    const name = r.string(m, "name", path);
    const timeZoneNode = m.entries.get("time_zone");
    const timeZone = timeZoneNode ? r.string(m, "time_zone", path) : "UTC";
    if (timeZone !== undefined && !isTimeZone(timeZone)) {
      r.issue(timeZoneNode ?? m, `${path}.time_zone`, `${JSON.stringify(timeZone)} is not an IANA time zone`);
    }
    const maxActiveBookingsPerUser = r.integer(m, "max_active_bookings_per_user", path, { min: 0, fallback: 0 });
    const forbidOverlapping = r.boolean(m, "forbid_overlapping", path);
    if (
      merchantId &&
      name !== undefined &&
      timeZone &&
      maxActiveBookingsPerUser !== undefined &&
      forbidOverlapping !== undefined
    ) {
      merchants.push({ merchantId, name, timeZone, maxActiveBookingsPerUser, forbidOverlapping });
    }
  });
  const services: ServicePolicy[] = [];
  (r.array(top.entries.get("services"), "services", top, false) ?? []).forEach((node, i) => {
    const path = `services[${i}]`;
    const s = r.object(node, path, node);
    if (!s) return;
    const merchantId = r.string(s, "merchant_id", path, { required: true });
    const serviceId = r.string(s, "service_id", path, { required: true });
    const minAdvanceCancellationSec = r.integer(s, "min_advance_cancellation_sec", path, { min: 0, fallback: 0 });
    const refundWindowSec = r.integer(s, "refund_window_sec", path, { min: 0, fallback: 0 });
    const prepaymentNode = s.entries.get("prepayment");
    const p = prepaymentNode ? r.object(prepaymentNode, `${path}.prepayment`, s) : undefined;
    const priceMicros = p ? r.integer(p, "price_micros", `${path}.prepayment`, { min: 1 }) : undefined;
    const currencyCode = p ? r.string(p, "currency_code", `${path}.prepayment`, { required: true }) : undefined;
    if (p && currencyCode && !/^[A-Z]{3}$/.test(currencyCode)) {
      r.issue(
        p.entries.get("currency_code") ?? p,
        `${path}.prepayment.currency_code`,
        "must be an ISO 4217 code like EUR",
      );
    }
    if (!merchantId || !serviceId || minAdvanceCancellationSec === undefined || refundWindowSec === undefined) return;
    const policy: ServicePolicy = { merchantId, serviceId, minAdvanceCancellationSec, refundWindowSec };
    if (priceMicros !== undefined && currencyCode) policy.prepayment = { priceMicros, currencyCode };
    services.push(policy);
  });
  if (r.issues.length > 0) return { issues: r.issues };
  return { policies: { merchants, services }, issues: [] };
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
