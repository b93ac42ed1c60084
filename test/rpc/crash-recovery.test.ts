import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/booking/clock.js";
import { importFeed } from "../../src/feed/import-feed.js";
import { openStorage } from "../../src/store/open-storage.js";
import { openDatabase } from "../../src/store/sqlite/open-database.js";
import { makeAvailability, makeFeed, makePolicies } from "../booking/feed-builders.js";
import { postJson, type RestAnswer } from "../support/booking-server.js";
import { createTempDbPath } from "../support/temp-dir.js";
import { type ChildServer, killAllChildServers, spawnChildServer, stopChildServer } from "./child-server.js";
import { makeCreateBookingRequest, makeSlot } from "./request-builders.js";

const day = 86_400;
const slots = 20;
const spots = 5;

describe("kill -9 in the middle of a create storm", () => {
  let temp: ReturnType<typeof createTempDbPath> | undefined;
  afterEach(async () => {
    await killAllChildServers();
    temp?.remove();
    temp = undefined;
  });

  it("keeps every acknowledged booking, its exact answer and one charge, and no slot over capacity", {
    timeout: 90_000,
  }, async () => {
    temp = createTempDbPath();
    const start = Math.floor(systemClock.nowSec() / 3600) * 3600 + 2 * day;
    const seed = await openStorage(temp.path);
    await importFeed(
      seed.inventory,
      {
        feedFile: "feed.json",
        feedText: JSON.stringify(
          makeFeed(
            Array.from({ length: slots }, (_, i) =>
              makeAvailability({
                service_id: "paid",
                start_sec: start + i * 3600,
                spots_total: spots,
                spots_open: spots,
              }),
            ),
          ),
        ),
        policiesFile: "policies.json",
        policiesText: JSON.stringify(
          makePolicies({
            services: [
              { merchant_id: "m1", service_id: "paid", prepayment: { price_micros: 5_000_000, currency_code: "EUR" } },
            ],
          }),
        ),
      },
      { nowSec: systemClock.nowSec() },
    );
    await seed.close();

    const first = await spawnChildServer(temp.path);
    const requests = Array.from({ length: slots * spots * 3 }, (_, i) =>
      makeCreateBookingRequest({
        slot: makeSlot({ service_id: "paid", start_sec: String(start + (i % slots) * 3600) }),
      }),
    );
    const acknowledged = new Map<number, RestAnswer>();
    const inFlight = new Set<number>();
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (!killed && next < requests.length) {
        const index = next++;
        inFlight.add(index);
        try {
          const answer = await postJson(first.url, first.authHeader, "CreateBooking", requests[index] as object);
          if (answer.status === 200 && answer.json.booking) acknowledged.set(index, answer);
          inFlight.delete(index);
        } catch {
          return;
        }
        if (acknowledged.size >= 40 && !killed) {
          killed = true;
          first.child.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await first.exited;
    expect(acknowledged.size).toBeGreaterThanOrEqual(40);
    // The kill landed while other requests were on the wire; their outcome is unknown to the client.
    expect(inFlight.size).toBeGreaterThan(0);

    const second: ChildServer = await spawnChildServer(temp.path);
    for (const [index, answer] of acknowledged) {
      const replay = await postJson(second.url, second.authHeader, "CreateBooking", requests[index] as object);
      expect(replay.text).toBe(answer.text);
      expect(replay.headers.get("idempotent-replayed")).toBe("true");
      const status = await postJson(second.url, second.authHeader, "GetBookingStatus", {
        booking_id: answer.json.booking.booking_id,
      });
      expect(status.json).toMatchObject({ booking_status: "CONFIRMED", prepayment_status: "PREPAYMENT_PROVIDED" });
    }
    for (const index of inFlight) {
      const retry = await postJson(second.url, second.authHeader, "CreateBooking", requests[index] as object);
      expect(retry.status).toBe(200);
    }
    await stopChildServer(second);

    const check = openDatabase(temp.path, { readonly: true });
    const perSlot = check
      .prepare(
        `SELECT s.spots_booked, COUNT(b.booking_id) AS bookings FROM slot s
           LEFT JOIN booking b ON b.slot_id = s.slot_id AND b.status = 'CONFIRMED' GROUP BY s.slot_id`,
      )
      .all() as { spots_booked: number; bookings: number }[];
    for (const slot of perSlot) {
      expect(slot.bookings).toBeLessThanOrEqual(spots);
      expect(slot.spots_booked).toBe(slot.bookings);
    }
    const chargesPerBooking = check
      .prepare(
        `SELECT b.booking_id, COUNT(l.entry_id) AS charges FROM booking b
           LEFT JOIN payment_ledger l ON l.booking_id = b.booking_id AND l.kind = 'charge' GROUP BY b.booking_id`,
      )
      .all() as { charges: number }[];
    expect(chargesPerBooking.length).toBeGreaterThanOrEqual(acknowledged.size);
    expect(chargesPerBooking.every((row) => row.charges === 1)).toBe(true);
    expect(check.prepare("SELECT COUNT(*) FROM payment_ledger").pluck().get()).toBe(chargesPerBooking.length);
    check.close();
  });
});
