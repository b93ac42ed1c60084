import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ListBookingsRequest, ListBookingsResponseSchema } from "../../gen/booking/admin/v1/admin_service_pb.js";
import { BookingStatus as ProtoBookingStatus } from "../../gen/booking/partner/v3/booking_pb.js";
import type { Booking, BookingStatus } from "../booking/booking.js";
import type { Clock } from "../booking/clock.js";
import type { MerchantBookings } from "../booking/merchant-bookings.js";
import { withDomainErrors } from "../contract/booking-error-to-connect.js";
import { invalidField } from "../contract/errors.js";
import { adminBookingToProto } from "./admin-booking-to-proto.js";
import { decodePageToken, decodeSyncToken, encodePageToken, encodeSyncToken } from "./listing-tokens.js";
import { pageSizeOf } from "./page-size.js";

/** What ListBookings works with. */
export interface ListBookingsDeps {
  bookings: MerchantBookings;
  clock: Clock;
  /** How long a sync token stays usable. */
  syncTokenTtlSec: number;
}

type Response = MessageInitShape<typeof ListBookingsResponseSchema>;

/**
 * ListBookings: pages of bookings of every aggregator ordered by start time and booking id (pages stay
 * stable while bookings are added), with a sync token on the last page; with `sync_token`, only the
 * bookings changed since that listing (cancellations included), paged the same way.
 */
export function createAdminListBookingsHandler(deps: ListBookingsDeps) {
  return (req: ListBookingsRequest): Promise<Response> =>
    withDomainErrors(() => (req.syncToken ? listChanges(req, deps) : listAll(req, deps)));
}

async function listAll(req: ListBookingsRequest, deps: ListBookingsDeps): Promise<Response> {
  const limit = pageSizeOf(req.pageSize);
  const statuses = req.statuses.map((status, index) => statusOf(status, index));
  const startSecMin = Number(req.startSecMin);
  const startSecMax = Number(req.startSecMax);
  if (startSecMin < 0) throw invalidField("start_sec_min", "must not be negative");
  if (startSecMax < 0) throw invalidField("start_sec_max", "must not be negative");
  const staffIds = [...req.staffIds].sort();
  const serviceIds = [...req.serviceIds].sort();
  const text = req.query.trim();
  // Tokens issued before the staff, service and text filters existed keep their filter string.
  const narrowed = staffIds.length > 0 || serviceIds.length > 0 || text !== "";
  const filter = JSON.stringify([
    req.merchantId,
    startSecMin,
    startSecMax,
    [...statuses].sort(),
    ...(narrowed ? [staffIds, serviceIds, text] : []),
  ]);
  const token = req.pageToken ? decodePageToken(req.pageToken, filter) : undefined;
  if (token && token.mode !== "full") throw invalidField("page_token", "belongs to a listing with other filters");
  const page = await deps.bookings.list({
    ...(req.merchantId ? { merchantId: req.merchantId } : {}),
    ...(startSecMin ? { startSecMin } : {}),
    ...(startSecMax ? { startSecMax } : {}),
    ...(statuses.length > 0 ? { statuses } : {}),
    ...(staffIds.length > 0 ? { staffIds } : {}),
    ...(serviceIds.length > 0 ? { serviceIds } : {}),
    ...(text ? { text } : {}),
    ...(token ? { after: { startSec: token.startSec, bookingId: token.bookingId } } : {}),
    limit: limit + 1,
  });
  const mark = token?.mark ?? page.syncMark;
  const bookings = page.items.slice(0, limit);
  const last = bookings[bookings.length - 1];
  if (page.items.length > limit && last) {
    const next = { mode: "full" as const, filter, startSec: last.slot.startSec, bookingId: last.bookingId, mark };
    return { bookings: bookings.map(adminBookingToProto), nextPageToken: encodePageToken(next) };
  }
  return { bookings: bookings.map(adminBookingToProto), nextSyncToken: syncTokenOf(req, mark, deps) };
}

async function listChanges(req: ListBookingsRequest, deps: ListBookingsDeps): Promise<Response> {
  const filtered = req.statuses.length > 0 || req.staffIds.length > 0 || req.serviceIds.length > 0 || req.query !== "";
  if (req.startSecMin !== 0n || req.startSecMax !== 0n || filtered) {
    throw invalidField(
      "sync_token",
      "cannot be combined with start_sec_min, start_sec_max, statuses, staff_ids, service_ids or query",
    );
  }
  const limit = pageSizeOf(req.pageSize);
  const filter = JSON.stringify(["sync", req.merchantId, req.syncToken]);
  const token = req.pageToken ? decodePageToken(req.pageToken, filter) : undefined;
  if (token && token.mode !== "sync") throw invalidField("page_token", "belongs to a listing with other filters");
  const sinceMark =
    token?.sinceMark ?? decodeSyncToken(req.syncToken, req.merchantId, deps.clock.nowSec(), deps.syncTokenTtlSec).mark;
  const page = await deps.bookings.changes({
    ...(req.merchantId ? { merchantId: req.merchantId } : {}),
    sinceMark,
    ...(token ? { after: { changeMark: token.changeMark, bookingId: token.bookingId } } : {}),
    limit: limit + 1,
  });
  const mark = token?.mark ?? page.syncMark;
  const changes = page.items.slice(0, limit);
  const bookings = changes.map((change): Booking => change.booking);
  const last = changes[changes.length - 1];
  if (page.items.length > limit && last) {
    const next = {
      mode: "sync" as const,
      filter,
      changeMark: last.changeMark,
      bookingId: last.booking.bookingId,
      mark,
      sinceMark,
    };
    return { bookings: bookings.map(adminBookingToProto), nextPageToken: encodePageToken(next) };
  }
  return { bookings: bookings.map(adminBookingToProto), nextSyncToken: syncTokenOf(req, mark, deps) };
}

function syncTokenOf(req: ListBookingsRequest, mark: number, deps: ListBookingsDeps): string {
  return encodeSyncToken({ mark, merchantId: req.merchantId, issuedSec: deps.clock.nowSec() });
}

function statusOf(status: ProtoBookingStatus, index: number): BookingStatus {
  if (status === ProtoBookingStatus.BOOKING_STATUS_UNSPECIFIED || !(status in ProtoBookingStatus)) {
    throw invalidField(`statuses[${index}]`, "must name a booking status");
  }
  return ProtoBookingStatus[status] as BookingStatus;
}
