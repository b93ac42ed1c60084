import { afterEach, describe, expect, it } from "vitest";
import { testBackends } from "../support/test-database.js";
import { makeCreateBookingInput, makeSlotKey } from "./booking-builders.js";
import { type EngineFixture, openEngineFixture } from "./engine-fixture.js";
import { hoursFromNow, makeAvailability, makeFeed } from "./feed-builders.js";

const start = hoursFromNow(24);
const later = start + 3600;

describe.each(testBackends)("concurrent changes of bookings (%s)", (backend) => {
  let fixture: EngineFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  it("swaps the slots of 20 bookings at once, three times over, with every change applied and no spot lost", async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([
        makeAvailability({ start_sec: start, spots_total: 20, spots_open: 20 }),
        makeAvailability({ start_sec: later, spots_total: 20, spots_open: 20 }),
      ]),
    });
    const { engine } = fixture;
    // Moving one way takes `later`'s row first, the other way `start`'s: opposite lock orders, so
    // PostgreSQL meets deadlocks, which the store must run again rather than report.
    const where = new Map<string, number>();
    for (const startSec of [start, later]) {
      for (let i = 0; i < 10; i += 1) {
        const outcome = await engine.createBooking(makeCreateBookingInput({ slot: makeSlotKey({ startSec }) }));
        if (outcome.kind !== "created") throw new Error(`not booked: ${JSON.stringify(outcome)}`);
        where.set(outcome.booking.bookingId, startSec);
      }
    }
    for (let round = 0; round < 3; round += 1) {
      const outcomes = await Promise.all(
        [...where].map(([bookingId, startSec]) =>
          engine.updateBooking({
            caller: "partner",
            bookingId,
            cancel: false,
            reschedule: { startSec: startSec === start ? later : start },
          }),
        ),
      );
      expect(outcomes.map((outcome) => outcome.kind)).toEqual(Array(20).fill("updated"));
      for (const [bookingId, startSec] of where) where.set(bookingId, startSec === start ? later : start);
      const left = await engine.lookupAvailability([
        makeSlotKey({ startSec: start }),
        makeSlotKey({ startSec: later }),
      ]);
      expect(left.map((verdict) => verdict.spotsLeft)).toEqual([10, 10]);
    }
    expect(await fixture.sql.rows("SELECT spots_booked FROM slot ORDER BY start_sec")).toEqual([
      { spots_booked: 10 },
      { spots_booked: 10 },
    ]);
  });
});
