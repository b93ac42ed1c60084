import { afterEach, describe, expect, it } from "vitest";
import { timeOrderedBookingId } from "../../src/booking/booking-id.js";
import { makeCreateBookingInput } from "./booking-builders.js";
import { type EngineFixture, openEngineFixture } from "./engine-fixture.js";
import { makeAvailability, makeFeed } from "./feed-builders.js";

describe("booking ids", () => {
  it("are 28 lowercase hex digits: the creation millisecond, then 64 random bits", () => {
    const id = timeOrderedBookingId(Date.UTC(2030, 2, 10, 14));
    expect(id).toMatch(/^[0-9a-f]{28}$/);
    expect(Number.parseInt(id.slice(0, 12), 16)).toBe(Date.UTC(2030, 2, 10, 14));
  });

  it("sort in the order they were made, one millisecond apart or more", () => {
    const start = Date.UTC(2026, 0, 1);
    const made = Array.from({ length: 2_000 }, (_, i) => timeOrderedBookingId(start + i * 7));
    expect([...made].sort()).toEqual(made);
  });

  it("differ when made in the same millisecond", () => {
    const now = Date.now();
    const made = Array.from({ length: 10_000 }, () => timeOrderedBookingId(now));
    expect(new Set(made).size).toBe(made.length);
  });

  describe("made by the engine", () => {
    let fixture: EngineFixture;
    afterEach(async () => {
      await fixture.close();
    });

    it("carry the time the booking was made, so later bookings sort after earlier ones", async () => {
      fixture = await openEngineFixture({ feed: makeFeed([makeAvailability({ spots_total: 3, spots_open: 3 })]) });
      const ids: string[] = [];
      for (let n = 0; n < 3; n++) {
        const before = Date.now();
        const outcome = await fixture.engine.createBooking(makeCreateBookingInput());
        if (outcome.kind !== "created") throw new Error(`booking ${n} was not created`);
        const madeAt = Number.parseInt(outcome.booking.bookingId.slice(0, 12), 16);
        expect(madeAt).toBeGreaterThanOrEqual(before);
        expect(madeAt).toBeLessThanOrEqual(Date.now());
        ids.push(outcome.booking.bookingId);
        // The next booking is made in a later millisecond.
        while (Date.now() <= madeAt) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      expect([...ids].sort()).toEqual(ids);
    });
  });
});
