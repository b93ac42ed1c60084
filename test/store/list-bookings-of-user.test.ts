import { afterAll, describe, expect, it } from "vitest";
import { type BookingRow, bookingFromRow, bookingSelect } from "../../src/store/rows/booking-row.js";
import { createBookingTable, userBookingsDocument } from "../../src/store/sqlite/booking-table.js";
import { openDatabase } from "../../src/store/sqlite/open-database.js";
import { createTempDbPath } from "../support/temp-dir.js";

describe("listBookingsOfUser (SQLite, one JSON document per user)", () => {
  const temp = createTempDbPath();
  afterAll(() => temp.remove());
  const db = openDatabase(temp.path);
  const start = 1_900_000_000;
  db.transaction(() => {
    db.prepare("INSERT INTO merchant (merchant_id) VALUES ('m1'), ('m2')").run();
    db.prepare("INSERT INTO service (merchant_id, service_id) VALUES ('m1', 's1'), ('m2', 's1')").run();
    const slot = db.prepare(
      `INSERT INTO slot (slot_id, merchant_id, service_id, start_sec, duration_sec, staff_id, room_id, party_size,
         spots_total, spots_external, spots_booked, confirmation_mode, availability_tag, in_feed)
       VALUES (?, ?, 's1', ?, 1800, ?, ?, ?, 9, 1, 2, ?, ?, ?)`,
    );
    for (let i = 0; i < 12; i++) {
      slot.run(
        i + 1,
        i % 3 === 0 ? "m2" : "m1",
        start + i * 1800,
        i % 2 ? 'staff "a"' : "",
        i % 4 ? "" : "room-é",
        i % 5,
        ["UNSPECIFIED", "SYNCHRONOUS", "ASYNCHRONOUS"][i % 3] as string,
        i % 2 ? "" : `tag-${i}`,
        i % 7 === 0 ? 0 : 1,
      );
    }
    const booking = db.prepare(
      `INSERT INTO booking (booking_id, slot_id, merchant_id, user_id, caller, status, prepayment,
         payment_transaction_id, price_micros, currency_code, user_json, created_sec, updated_sec, version, change_mark)
       SELECT ?, slot_id, merchant_id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM slot WHERE slot_id = ?`,
    );
    // Inserted out of creation order, with ties on created_sec (broken by insertion order), other users and
    // another aggregator's booking of the same user id.
    const created = [5, 3, 3, 9, 1, 3, 7, 7, 2, 8, 4, 6];
    for (let i = 0; i < 30; i++) {
      const user = i % 3 === 2 ? "u-other" : "u1";
      const caller = i % 5 === 4 ? "agg-b" : "agg-a";
      const address = i % 2 ? { streetAddress: 'Rue "du" Lac\n3', locality: "Genève", postalCode: "1201" } : undefined;
      const userInfo = {
        userId: user,
        givenName: `Ann ${i}`,
        familyName: "Ø'Brien",
        email: "",
        telephone: "",
        ...(address ? { address } : {}),
      };
      booking.run(
        `b-${i}`,
        user,
        caller,
        ["CONFIRMED", "CANCELED", "PENDING_MERCHANT_CONFIRMATION"][i % 3] as string,
        i % 4 ? "NOT_PROVIDED" : "PROVIDED",
        i % 4 ? "" : `tx-${i}`,
        i % 4 ? null : 12_500_000 + i,
        i % 4 ? null : "EUR",
        JSON.stringify(userInfo),
        start - 1000 + (created[i % created.length] as number),
        start + i,
        1 + (i % 3),
        i + 1,
        1 + (i % 12),
      );
    }
  })();
  const table = createBookingTable(db);
  const reference = db.prepare<[string, string], BookingRow>(
    `${bookingSelect} WHERE b.caller = ? AND b.user_id = ? ORDER BY b.created_sec, b.rowid`,
  );

  it("answers exactly what a row-by-row read answers, in creation order", () => {
    for (const [caller, user] of [
      ["agg-a", "u1"],
      ["agg-b", "u1"],
      ["agg-a", "u-other"],
    ] as const) {
      // A listing shows no spot counters or feed flag of the slot.
      const expected = reference.all(caller, user).map((row) => {
        const { slot, ...booking } = bookingFromRow(row);
        const { spotsTotal, spotsExternal, spotsBooked, inFeed, ...listed } = slot;
        return { ...booking, slot: listed };
      });
      expect(expected.length).toBeGreaterThan(2);
      expect(table.listBookingsOfUser(caller, user)).toEqual(expected);
    }
  });

  it("answers no bookings for an unknown user or another aggregator's user", () => {
    expect(table.listBookingsOfUser("agg-a", "nobody")).toEqual([]);
    expect(table.listBookingsOfUser("agg-c", "u1")).toEqual([]);
  });

  it("reads a user's bookings in creation order from an index, without sorting them", () => {
    const plan = db
      .prepare<[string, string], { detail: string }>(`EXPLAIN QUERY PLAN ${userBookingsDocument}`)
      .all("agg-a", "u1")
      .map((step) => step.detail);
    expect(plan.some((detail) => detail.includes("USING INDEX booking_caller_user_created"))).toBe(true);
    expect(plan.filter((detail) => detail.includes("TEMP B-TREE"))).toEqual([]);
  });
});
