import { describe, expect, it } from "vitest";
import { systemClock } from "../../src/booking/clock.js";
import { blocksCommand } from "../../src/cli/blocks-command.js";
import { openDatabase } from "../../src/store/sqlite/open-database.js";
import type { SqliteBookingStore } from "../../src/store/sqlite/sqlite-booking-store.js";
import { hoursFromNow } from "../booking/feed-builders.js";
import { type BookingServerFixture, sqliteServerPerTest } from "../support/booking-server.js";
import { runCommand } from "../support/run-command.js";

// 20 half-hour slots from 09:00 on a future day: enough for the lookup's range read.
const first = hoursFromNow(48);
const starts = Array.from({ length: 20 }, (_, i) => first + i * 1800);
const iso = (sec: number) => new Date(sec * 1000).toISOString();

describe("a running SQLite server's cached lookups", () => {
  const open = sqliteServerPerTest(starts);

  /** The start times BatchAvailabilityLookup over REST answers as available. */
  const available = async (server: BookingServerFixture) => {
    const answer = await server.rest("BatchAvailabilityLookup", {
      merchant_id: "m1",
      slot_time: starts.map((start_sec) => ({ service_id: "s1", start_sec: String(start_sec), duration_sec: "1800" })),
    });
    expect(answer.status).toBe(200);
    return (answer.json.slot_time_availability as { slot_time: { start_sec: string }; available?: boolean }[])
      .filter((entry) => entry.available)
      .map((entry) => Number(entry.slot_time.start_sec));
  };

  const cacheStats = (server: BookingServerFixture) =>
    (server.storage.bookings as SqliteBookingStore).availabilityCache.stats();

  it("see a block that the blocks CLI adds and removes through its own connection", async () => {
    const server = await open();
    expect(await available(server)).toEqual(starts);
    const warm = cacheStats(server).hits;
    expect(await available(server)).toEqual(starts);
    expect(cacheStats(server).hits).toBeGreaterThan(warm);

    const blocked = starts.slice(4, 8);
    const run = (argv: string[]) => runCommand(blocksCommand, [...argv, "--db", server.url], systemClock);
    const added = await run([
      "add",
      "--merchant",
      "m1",
      "--start",
      iso(starts[4] as number),
      "--end",
      iso(starts[8] as number),
    ]);
    expect(added.code).toBe(0);
    expect(await available(server)).toEqual(starts.filter((start) => !blocked.includes(start)));

    const blockId = /added block (\S+)/.exec(added.stdout)?.[1];
    expect((await run(["remove", blockId as string])).code).toBe(0);
    expect(await available(server)).toEqual(starts);
  });

  it("see spots that another connection to the file takes", async () => {
    const server = await open();
    expect(await available(server)).toEqual(starts);
    expect(await available(server)).toEqual(starts);
    const other = openDatabase(server.url);
    try {
      other.prepare("UPDATE slot SET spots_external = spots_total WHERE start_sec = ?").run(starts[3]);
      expect(await available(server)).toEqual(starts.filter((start) => start !== starts[3]));
      other.prepare("UPDATE slot SET spots_external = 0 WHERE start_sec = ?").run(starts[3]);
      other.prepare("DELETE FROM slot WHERE start_sec = ?").run(starts[19]);
      expect(await available(server)).toEqual(starts.slice(0, 19));
    } finally {
      other.close();
    }
  });
});
