import { afterAll, describe, expect, it } from "vitest";
import type { SlotQuery } from "../../src/booking/inventory.js";
import { openDatabase } from "../../src/store/sqlite/open-database.js";
import { createSlotTable } from "../../src/store/sqlite/slot-table.js";
import { createSqliteBookingStore } from "../../src/store/sqlite/sqlite-booking-store.js";
import { createTempDbPath } from "../support/temp-dir.js";

const day = 86_400;
const firstDay = Math.ceil(1_900_000_000 / day) + 1;
const hour = 3600;

describe("the SQLite availability cache's bounds", () => {
  const temp = createTempDbPath();
  afterAll(() => temp.remove());
  const db = openDatabase(temp.path);
  // 20 merchants with 24 hourly slots on each of 10 days; m-big also has one day of 500 slots.
  const insert = db.prepare(
    "INSERT INTO slot (merchant_id, service_id, start_sec, duration_sec, spots_total) VALUES (?, 's1', ?, ?, 1)",
  );
  db.transaction(() => {
    for (let m = 0; m < 20; m++) {
      db.prepare("INSERT INTO merchant (merchant_id) VALUES (?)").run(`m${m}`);
      db.prepare("INSERT INTO service (merchant_id, service_id) VALUES (?, 's1')").run(`m${m}`);
      for (let d = 0; d < 10; d++)
        for (let h = 0; h < 24; h++) insert.run(`m${m}`, (firstDay + d) * day + h * hour, 1800);
    }
    db.prepare("INSERT INTO merchant (merchant_id) VALUES ('m-big')").run();
    db.prepare("INSERT INTO service (merchant_id, service_id) VALUES ('m-big', 's1')").run();
    for (let i = 0; i < 500; i++) insert.run("m-big", firstDay * day + i * 60, 60);
  })();
  const truth = createSlotTable(db);
  const dayLookup = (merchantId: string, d: number, durationSec = 1800): SlotQuery[] =>
    Array.from({ length: 24 }, (_, h) => ({
      merchantId,
      serviceId: "s1",
      startSec: (firstDay + d) * day + h * hour,
      durationSec,
      staffId: "",
      roomId: "",
      partySize: 0,
    }));

  it("never holds more than its weight, evicting the least recently used days, and still answers right", async () => {
    // One day weighs 25 (24 slots and the day): room for 8 days.
    const store = createSqliteBookingStore(db, { availabilityCacheWeight: 200 });
    for (let round = 0; round < 3; round++) {
      for (let m = 0; m < 20; m++) {
        for (let d = 0; d < 10; d++) {
          const queries = dayLookup(`m${m}`, d);
          expect(await store.read((r) => r.findSlots(queries))).toEqual(truth.findSlots(queries));
          expect(store.availabilityCache.stats().weight).toBeLessThanOrEqual(200);
        }
      }
    }
    // Cached slots are shared between lookups: no caller may change them.
    const [[slot]] = await store.read((r) => r.findSlots(dayLookup("m19", 9).slice(0, 1)));
    expect(Object.isFrozen(slot)).toBe(true);
    const stats = store.availabilityCache.stats();
    expect(stats.buckets).toBe(8);
    expect(stats.evictions).toBeGreaterThan(500);
    // The 8 most recent days are the ones held: asking for them again reads nothing.
    const before = stats.misses;
    for (let d = 2; d < 10; d++) await store.read((r) => r.findSlots(dayLookup("m19", d)));
    expect(store.availabilityCache.stats().misses).toBe(before);
  });

  it("reads a day with more slots than it caches straight from the database, holding only its mark", async () => {
    const store = createSqliteBookingStore(db, { maxDaySlots: 100 });
    const queries = dayLookup("m-big", 0, 0);
    for (let i = 0; i < 2; i++) {
      const found = await store.read((r) => r.findSlots(queries));
      expect(found).toEqual(truth.findSlots(queries));
      // Its slots start every minute for 500 minutes: the hours 0 to 8 of the day.
      expect(found.flat().length).toBe(9);
      const busy = await store.read((r) => r.busyIntervals("m-big", firstDay * day, (firstDay + 1) * day));
      expect(busy).toEqual([]);
    }
    expect(store.availabilityCache.stats().weight).toBe(1);
  });

  it("reads a lookup spread over more days than it loads at once straight from the database", async () => {
    const store = createSqliteBookingStore(db, { maxLoadDays: 5 });
    const queries = Array.from({ length: 10 }, (_, d) => dayLookup("m3", d)[d] as SlotQuery);
    expect(await store.read((r) => r.findSlots(queries))).toEqual(truth.findSlots(queries));
    expect(store.availabilityCache.stats().weight).toBe(0);
    const fewer = queries.slice(0, 5);
    expect(await store.read((r) => r.findSlots(fewer))).toEqual(truth.findSlots(fewer));
    expect(store.availabilityCache.stats().buckets).toBe(5);
  });
});
