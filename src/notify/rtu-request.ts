import type { AvailabilityUpdate, BookingUpdate, OutboxEntry } from "../booking/outbox-entry.js";

/** Google's Maps Booking API, where real-time updates go unless `--notify-root-url` says otherwise. */
export const mapsBookingRootUrl = "https://mapsbooking.googleapis.com/";

/** One HTTP request of a real-time update. */
export interface RtuRequest {
  method: "PATCH" | "POST";
  url: string;
  body: Record<string, unknown>;
}

const timestamp = (sec: number): string => new Date(sec * 1000).toISOString().replace(".000Z", "Z");
const duration = (sec: number): string => `${sec}s`;

/**
 * The request of an outbox entry, in the Maps Booking API's JSON (lowerCamelCase):
 * `notification.partners.bookings.patch` for a booking, `inventory.partners.availability.replace`
 * (BatchReplaceServiceAvailability, restricted to the one slot) for a slot's availability.
 */
export function rtuRequestOf(entry: OutboxEntry, partnerId: string, rootUrl: string): RtuRequest {
  const root = rootUrl.endsWith("/") ? rootUrl : `${rootUrl}/`;
  const payload = entry.payload;
  if (payload.kind === "booking") {
    const name = `partners/${partnerId}/bookings/${payload.booking.bookingId}`;
    const mask = encodeURIComponent(payload.updateMask.join(","));
    return {
      method: "PATCH",
      url: `${root}v1alpha/notification/${name}?updateMask=${mask}`,
      body: bookingBody(name, payload.booking),
    };
  }
  return {
    method: "POST",
    url: `${root}v1alpha/inventory/partners/${partnerId}/availability:replace`,
    body: { extendedServiceAvailability: [availabilityBody(payload.slot)] },
  };
}

function bookingBody(name: string, booking: BookingUpdate): Record<string, unknown> {
  return {
    name,
    merchantId: booking.merchantId,
    serviceId: booking.serviceId,
    startTime: timestamp(booking.startSec),
    duration: duration(booking.durationSec),
    status: booking.status,
    ...(booking.partySize > 0 ? { partySize: booking.partySize } : {}),
    ...(booking.status === "FAILED" ? { bookingFailure: { cause: "INTERNAL_ERROR" } } : {}),
  };
}

function availabilityBody(slot: AvailabilityUpdate): Record<string, unknown> {
  const resources = {
    ...(slot.staffId ? { staffId: slot.staffId } : {}),
    ...(slot.roomId ? { roomId: slot.roomId } : {}),
    ...(slot.partySize > 0 ? { partySize: slot.partySize } : {}),
  };
  return {
    merchantId: slot.merchantId,
    serviceId: slot.serviceId,
    startTimeRestrict: timestamp(slot.startSec),
    endTimeRestrict: timestamp(slot.startSec + 1),
    durationRestrict: duration(slot.durationSec),
    resourcesRestrict: resources,
    availability: [
      {
        startTime: timestamp(slot.startSec),
        duration: duration(slot.durationSec),
        spotsTotal: String(slot.spotsTotal),
        spotsOpen: String(slot.spotsOpen),
        resources,
      },
    ],
  };
}
