import { afterAll, describe, expect, it } from "vitest";
import type { SlotQuery } from "../../src/booking/inventory.js";
import { openDatabase } from "../../src/store/sqlite/open-database.js";
import { createSlotTable } from "../../src/store/sqlite/slot-table.js";
import { createTempDbPath } from "../support/temp-dir.js";

// Deterministic pseudo-random numbers, so a failure can be replayed.
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const start = 1_900_000_000;
const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

describe("findSlots answers a large lookup exactly as it answers each slot alone", () => {
  const temp = createTempDbPath();
  afterAll(() => temp.remove());
  const db = openDatabase(temp.path);
  const next = random(7);
  const insert = db.prepare(
    `INSERT OR IGNORE INTO slot (merchant_id, service_id, start_sec, duration_sec, staff_id, room_id, party_size,
       spots_total, spots_booked, availability_tag) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const merchant of ["m1", "m2", "m3"]) {
      db.prepare("INSERT INTO merchant (merchant_id) VALUES (?)").run(merchant);
      for (const service of ["s1", "s2"]) {
        db.prepare("INSERT INTO service (merchant_id, service_id) VALUES (?, ?)").run(merchant, service);
      }
      // Slots that share a start but differ in service, resources or duration, some of them the same key.
      for (let i = 0; i < 600; i++) {
        insert.run(
          merchant,
          pick(next, ["s1", "s2"]),
          start + Math.floor(next() * 200) * 900,
          pick(next, [900, 1800, 3600]),
          pick(next, ["", "staff-a"]),
          pick(next, ["", "room-1"]),
          pick(next, [0, 2]),
          5,
          Math.floor(next() * 5),
          `tag-${i}`,
        );
      }
    }
  })();
  const table = createSlotTable(db);
  const query = (): SlotQuery => ({
    merchantId: pick(next, ["m1", "m2", "m3", "m-unknown"]),
    serviceId: pick(next, ["s1", "s2", "s3"]),
    startSec: start + Math.floor(next() * 210) * 900,
    durationSec: pick(next, [0, 900, 1800, 3600, 7200]),
    staffId: pick(next, ["", "staff-a"]),
    roomId: pick(next, ["", "room-1"]),
    partySize: pick(next, [0, 2]),
  });

  it("for mixed merchants, services, resources and durations (0 matching any, in duration order)", () => {
    for (let round = 0; round < 20; round++) {
      const queries = Array.from({ length: 50 + Math.floor(next() * 500) }, query);
      const alone = queries.map((q) => table.findSlots([q])[0]);
      expect(table.findSlots(queries)).toEqual(alone);
    }
  });

  it("for a lookup spread so thinly over time that the range read is abandoned", () => {
    const far = { ...query(), merchantId: "m1", startSec: start + 10 * 365 * 86_400 };
    const queries = [...Array.from({ length: 20 }, () => ({ ...query(), merchantId: "m1" })), far];
    const alone = queries.map((q) => table.findSlots([q])[0]);
    expect(table.findSlots(queries)).toEqual(alone);
  });
});
