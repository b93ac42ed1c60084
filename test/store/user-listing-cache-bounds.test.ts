import { afterAll, describe, expect, it } from "vitest";
import { createBookingTable } from "../../src/store/sqlite/booking-table.js";
import { openDatabase } from "../../src/store/sqlite/open-database.js";
import { createSqliteBookingStore } from "../../src/store/sqlite/sqlite-booking-store.js";
import { createTempDbPath } from "../support/temp-dir.js";

describe("the SQLite user listing cache's bounds", () => {
  const temp = createTempDbPath();
  afterAll(() => temp.remove());
  const db = openDatabase(temp.path);
  // 20 users with 9 bookings each (weight 10 a listing) and u-big with 30, one slot per booking.
  db.transaction(() => {
    db.prepare("INSERT INTO merchant (merchant_id) VALUES ('m1')").run();
    db.prepare("INSERT INTO service (merchant_id, service_id) VALUES ('m1', 's1')").run();
    const slot = db.prepare(
      "INSERT INTO slot (merchant_id, service_id, start_sec, duration_sec, spots_total) VALUES ('m1', 's1', ?, 1800, 1)",
    );
    const booking = db.prepare(
      `INSERT INTO booking (booking_id, slot_id, merchant_id, user_id, caller, status, prepayment, price_micros,
         currency_code, user_json, created_sec, updated_sec, version, change_mark)
       VALUES (?, ?, 'm1', ?, 'agg', 'CONFIRMED', 'PROVIDED', 5000000, 'EUR', ?, ?, ?, 1, ?)`,
    );
    let n = 0;
    const add = (userId: string) => {
      n += 1;
      const slotId = Number(slot.run(1_900_000_000 + n * 1800).lastInsertRowid);
      const user = { userId, givenName: "Ann", address: { locality: "Bern", country: "CH" } };
      booking.run(`b-${n}`, slotId, userId, JSON.stringify(user), n, n, n);
    };
    for (let u = 0; u < 20; u++) for (let i = 0; i < 9; i++) add(`u${u}`);
    for (let i = 0; i < 30; i++) add("u-big");
  })();
  const truth = createBookingTable(db);
  const listing = (store: ReturnType<typeof createSqliteBookingStore>, userId: string) =>
    store.read((r) => r.listBookingsOfUser("agg", userId));

  it("never holds more than its weight, evicting the least recently used users, and still answers right", async () => {
    // A listing of 9 bookings weighs 10: room for 5 users.
    const store = createSqliteBookingStore(db, { userListingCacheWeight: 50 });
    for (let round = 0; round < 3; round++) {
      for (let u = 0; u < 20; u++) {
        expect(await listing(store, `u${u}`)).toEqual(truth.listBookingsOfUser("agg", `u${u}`));
        expect(store.userListingCache.stats().weight).toBeLessThanOrEqual(50);
      }
    }
    const stats = store.userListingCache.stats();
    expect(stats).toMatchObject({ users: 5, weight: 50, hits: 0 });
    expect(stats.evictions).toBe(60 - 5);
    // The five most recently used (u15..u19) are held; reading them again reads nothing.
    const before = stats.misses;
    for (let u = 15; u < 20; u++) await listing(store, `u${u}`);
    expect(store.userListingCache.stats()).toMatchObject({ misses: before, hits: 5 });
    // Using u15 makes u16 the least recently used: one more user evicts it, not u15.
    await listing(store, "u15");
    await listing(store, "u0");
    await listing(store, "u15");
    await listing(store, "u16");
    expect(store.userListingCache.stats()).toMatchObject({ misses: before + 2, hits: 7 });
  });

  it("does not hold a user with more bookings than the limit", async () => {
    const store = createSqliteBookingStore(db, { maxListingBookings: 29 });
    const big = await listing(store, "u-big");
    expect(big).toEqual(truth.listBookingsOfUser("agg", "u-big"));
    expect(big).toHaveLength(30);
    await listing(store, "u-big");
    expect(store.userListingCache.stats()).toMatchObject({ users: 0, weight: 0, hits: 0, misses: 2 });
    await listing(store, "u0");
    await listing(store, "u0");
    expect(store.userListingCache.stats()).toMatchObject({ users: 1, weight: 10, hits: 1 });
  });

  it("hands out frozen listings, down to the slot, user, address, payment and price", async () => {
    const store = createSqliteBookingStore(db);
    const [first] = await listing(store, "u0");
    const cached = await listing(store, "u0");
    expect(store.userListingCache.stats().hits).toBe(1);
    expect(cached[0]).toBe(first);
    expect(Object.isFrozen(cached)).toBe(true);
    const booking = cached[0];
    if (!booking) throw new Error("u0 has bookings");
    for (const part of [
      booking,
      booking.slot,
      booking.user,
      booking.user.address,
      booking.payment,
      booking.payment.price,
    ])
      expect(Object.isFrozen(part)).toBe(true);
    expect(() => {
      (booking.slot as { availabilityTag: string }).availabilityTag = "changed";
    }).toThrow(TypeError);
    expect(() => {
      (cached as unknown as unknown[]).push(booking);
    }).toThrow(TypeError);
  });
});
