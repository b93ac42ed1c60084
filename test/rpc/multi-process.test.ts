import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/booking/clock.js";
import { importFeed } from "../../src/feed/import-feed.js";
import { openStorage } from "../../src/store/open-storage.js";
import { openDatabase } from "../../src/store/sqlite/open-database.js";
import { makeAvailability, makeFeed } from "../booking/feed-builders.js";
import { postJson } from "../support/booking-server.js";
import { createTempDbPath } from "../support/temp-dir.js";
import { type ChildServer, killAllChildServers, spawnChildServer, stopChildServer } from "./child-server.js";
import { makeCreateBookingRequest, makeSlot } from "./request-builders.js";

const day = 86_400;

describe("two server processes on one database file", () => {
  let temp: ReturnType<typeof createTempDbPath> | undefined;
  afterEach(async () => {
    await killAllChildServers();
    temp?.remove();
    temp = undefined;
  });

  it("never overbook and never duplicate a token's booking under concurrent load", { timeout: 90_000 }, async () => {
    temp = createTempDbPath();
    const start = Math.floor(systemClock.nowSec() / 3600) * 3600 + 2 * day;
    const starts = Array.from({ length: 10 }, (_, i) => start + i * 3600);
    const seed = await openStorage(temp.path);
    await importFeed(
      seed.inventory,
      {
        feedFile: "feed.json",
        feedText: JSON.stringify(
          makeFeed([
            ...starts.map((start_sec) => makeAvailability({ start_sec, spots_total: 3, spots_open: 3 })),
            makeAvailability({ service_id: "big", start_sec: start, spots_total: 100, spots_open: 100 }),
          ]),
        ),
      },
      { nowSec: systemClock.nowSec() },
    );
    await seed.close();
    const servers: ChildServer[] = await Promise.all([spawnChildServer(temp.path), spawnChildServer(temp.path)]);
    const post = (i: number, body: object) => {
      const server = servers[i % 2] as ChildServer;
      return postJson(server.url, server.authHeader, "CreateBooking", body);
    };

    const storm = Array.from({ length: 300 }, (_, i) =>
      post(i, makeCreateBookingRequest({ slot: makeSlot({ start_sec: String(starts[i % 10]) }) })),
    );
    const twins = Array.from({ length: 20 }, () =>
      makeCreateBookingRequest({ slot: makeSlot({ service_id: "big", start_sec: String(start) }) }),
    );
    const twinAnswers = twins.flatMap((body) => [post(0, body), post(1, body)]);
    const answers = await Promise.all(storm);
    const pairs = await Promise.all(twinAnswers);

    expect(answers.map((a) => a.status).filter((s) => s !== 200)).toEqual([]);
    expect(answers.filter((a) => a.json.booking)).toHaveLength(30);
    expect(answers.filter((a) => a.json.booking_failure?.cause === "SLOT_UNAVAILABLE")).toHaveLength(270);
    for (let i = 0; i < pairs.length; i += 2) {
      expect(pairs[i]?.status).toBe(200);
      expect(pairs[i + 1]?.text).toBe(pairs[i]?.text);
    }

    await Promise.all(servers.map(stopChildServer));
    const check = openDatabase(temp.path, { readonly: true });
    const perSlot = check
      .prepare(
        `SELECT s.service_id, s.start_sec, s.spots_total, s.spots_booked, COUNT(b.booking_id) AS bookings
           FROM slot s LEFT JOIN booking b ON b.slot_id = s.slot_id GROUP BY s.slot_id`,
      )
      .all() as { service_id: string; spots_total: number; spots_booked: number; bookings: number }[];
    for (const slot of perSlot) {
      expect(slot.bookings).toBeLessThanOrEqual(slot.spots_total);
      expect(slot.spots_booked).toBe(slot.bookings);
    }
    expect(perSlot.find((s) => s.service_id === "big")?.bookings).toBe(20);
    const ids = check.prepare("SELECT booking_id FROM booking").pluck().all();
    expect(new Set(ids).size).toBe(50);
    check.close();
  });
});
