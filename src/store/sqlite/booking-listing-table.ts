import type { Booking } from "../../booking/booking.js";
import type { BookingChangesQuery, BookingListQuery } from "../../booking/booking-listing.js";
import { type BookingRow, bookingFromRow, bookingSelect } from "../rows/booking-row.js";
import type { SqliteDatabase } from "./open-database.js";

type Statement = ReturnType<SqliteDatabase["prepare"]>;

/** Adds a condition and its parameters. */
function add(where: string[], values: unknown[], condition: string, ...params: unknown[]): void {
  where.push(condition);
  values.push(...params);
}

/** The merchant's listings of bookings: filtered pages and changes since a mark. */
export function createBookingListingTable(db: SqliteDatabase) {
  // A handful of filter combinations exist; each one's statement is prepared once.
  const prepared = new Map<string, Statement>();
  const statement = (text: string): Statement => {
    let found = prepared.get(text);
    if (!found) {
      found = db.prepare(text);
      prepared.set(text, found);
    }
    return found;
  };
  const maxMark = db.prepare<[], number>("SELECT COALESCE(MAX(change_mark), 0) FROM booking").pluck();

  return {
    listBookings(query: BookingListQuery): Booking[] {
      const where: string[] = [];
      const values: unknown[] = [];
      if (query.merchantId) add(where, values, "b.merchant_id = ?", query.merchantId);
      if (query.startSecMin) add(where, values, "s.start_sec >= ?", query.startSecMin);
      if (query.startSecMax) add(where, values, "s.start_sec < ?", query.startSecMax);
      if (query.statuses && query.statuses.length > 0) {
        add(where, values, `b.status IN (${query.statuses.map(() => "?").join(", ")})`, ...query.statuses);
      }
      if (query.staffIds && query.staffIds.length > 0) {
        add(where, values, `s.staff_id IN (${query.staffIds.map(() => "?").join(", ")})`, ...query.staffIds);
      }
      if (query.serviceIds && query.serviceIds.length > 0) {
        add(where, values, `s.service_id IN (${query.serviceIds.map(() => "?").join(", ")})`, ...query.serviceIds);
      }
      if (query.text) {
        const name =
          "lower(coalesce(json_extract(b.user_json, '$.givenName'), '') || ' ' || coalesce(json_extract(b.user_json, '$.familyName'), ''))";
        add(where, values, `(b.booking_id = ? OR instr(${name}, ?) > 0)`, query.text, query.text.toLowerCase());
      }
      const { after } = query;
      if (after) {
        add(
          where,
          values,
          "(s.start_sec > ? OR (s.start_sec = ? AND b.booking_id > ?))",
          after.startSec,
          after.startSec,
          after.bookingId,
        );
      }
      const text = `${bookingSelect}${where.length > 0 ? ` WHERE ${where.join(" AND ")}` : ""}
        ORDER BY s.start_sec, b.booking_id LIMIT ?`;
      const rows = statement(text).all([...values, query.limit]) as BookingRow[];
      return rows.map(bookingFromRow);
    },
    changedBookings(query: BookingChangesQuery): { booking: Booking; changeMark: number }[] {
      const where = ["b.change_mark >= ?"];
      const values: unknown[] = [query.sinceMark];
      if (query.merchantId) add(where, values, "b.merchant_id = ?", query.merchantId);
      const { after } = query;
      if (after) {
        add(
          where,
          values,
          "(b.change_mark > ? OR (b.change_mark = ? AND b.booking_id > ?))",
          after.changeMark,
          after.changeMark,
          after.bookingId,
        );
      }
      const text = `SELECT * FROM (${bookingSelect.replace("SELECT ", "SELECT b.change_mark, ")}
        WHERE ${where.join(" AND ")} ORDER BY b.change_mark, b.booking_id LIMIT ?)`;
      const rows = statement(text).all([...values, query.limit]) as (BookingRow & { change_mark: number })[];
      return rows.map((row) => ({ booking: bookingFromRow(row), changeMark: row.change_mark }));
    },
    /** One more than the largest mark: every later change gets a mark at or above it. */
    syncMark(): number {
      return (maxMark.get() ?? 0) + 1;
    },
  };
}
