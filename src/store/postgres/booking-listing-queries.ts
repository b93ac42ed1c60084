import type { Booking } from "../../booking/booking.js";
import type { BookingChangesQuery, BookingListQuery } from "../../booking/booking-listing.js";
import { type BookingRow, bookingFromRow, bookingSelect } from "../rows/booking-row.js";
import type { Sql } from "./postgres-pool.js";

/** Adds a condition whose parameters are numbered from the values collected so far. */
function add(where: string[], values: unknown[], condition: (n: (value: unknown) => string) => string): void {
  where.push(
    condition((value) => {
      values.push(value);
      return `$${values.length}`;
    }),
  );
}

/** A page of bookings of every aggregator, ordered by start time then booking id. */
export async function listBookings(sql: Sql, query: BookingListQuery): Promise<Booking[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  if (query.merchantId) add(where, values, (n) => `b.merchant_id = ${n(query.merchantId)}`);
  if (query.startSecMin) add(where, values, (n) => `s.start_sec >= ${n(query.startSecMin)}`);
  if (query.startSecMax) add(where, values, (n) => `s.start_sec < ${n(query.startSecMax)}`);
  if (query.statuses && query.statuses.length > 0) add(where, values, (n) => `b.status = ANY(${n(query.statuses)})`);
  if (query.staffIds && query.staffIds.length > 0) add(where, values, (n) => `s.staff_id = ANY(${n(query.staffIds)})`);
  if (query.serviceIds && query.serviceIds.length > 0) {
    add(where, values, (n) => `s.service_id = ANY(${n(query.serviceIds)})`);
  }
  const { text } = query;
  if (text) {
    add(where, values, (n) => {
      const name = `lower(coalesce(b.user_json::json ->> 'givenName', '') || ' ' || coalesce(b.user_json::json ->> 'familyName', ''))`;
      return `(b.booking_id = ${n(text)} OR strpos(${name}, ${n(text.toLowerCase())}) > 0)`;
    });
  }
  const { after } = query;
  if (after) {
    add(where, values, (n) => {
      const start = n(after.startSec);
      return `(s.start_sec > ${start} OR (s.start_sec = ${start} AND b.booking_id COLLATE "C" > ${n(after.bookingId)}))`;
    });
  }
  values.push(query.limit);
  const rows = await sql.rows<BookingRow>(
    `${bookingSelect}${where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""}
     ORDER BY s.start_sec, b.booking_id COLLATE "C" LIMIT $${values.length}`,
    values,
  );
  return rows.map(bookingFromRow);
}

/** Bookings changed at or after a mark, ordered by (change mark, booking id). */
export async function changedBookings(
  sql: Sql,
  query: BookingChangesQuery,
): Promise<{ booking: Booking; changeMark: number }[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  add(where, values, (n) => `b.change_mark >= ${n(query.sinceMark)}`);
  if (query.merchantId) add(where, values, (n) => `b.merchant_id = ${n(query.merchantId)}`);
  const { after } = query;
  if (after) {
    add(where, values, (n) => {
      const mark = n(after.changeMark);
      return `(b.change_mark > ${mark} OR (b.change_mark = ${mark} AND b.booking_id COLLATE "C" > ${n(after.bookingId)}))`;
    });
  }
  values.push(query.limit);
  const rows = await sql.rows<BookingRow & { change_mark: number }>(
    `${bookingSelect.replace("SELECT ", "SELECT b.change_mark, ")} WHERE ${where.join(" AND ")}
     ORDER BY b.change_mark, b.booking_id COLLATE "C" LIMIT $${values.length}`,
    values,
  );
  return rows.map((row) => ({ booking: bookingFromRow(row), changeMark: row.change_mark }));
}

/** The oldest transaction still running when this read's snapshot was taken: later changes mark higher. */
export async function syncMark(sql: Sql): Promise<number> {
  const row = await sql.row<{ mark: number }>("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS mark");
  return row?.mark ?? 0;
}
