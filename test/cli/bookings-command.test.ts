import { afterEach, describe, expect, it } from "vitest";
import { bookingsCommand } from "../../src/cli/bookings-command.js";
import { makeCreateBookingInput } from "../booking/booking-builders.js";
import { type EngineFixture, openEngineFixture } from "../booking/engine-fixture.js";
import { makeAvailability, makeFeed } from "../booking/feed-builders.js";
import { runCommand } from "../support/run-command.js";
import { createTestClock } from "../support/test-clock.js";
import { testBackends } from "../support/test-database.js";

describe.each(testBackends)("booking-server bookings confirm|decline (%s)", (backend) => {
  let fixture: EngineFixture;
  afterEach(async () => {
    await fixture.close();
  });

  const run = (...argv: string[]) => runCommand(bookingsCommand, [...argv, "--db", fixture.url], createTestClock());
  async function pending(): Promise<string> {
    const outcome = await fixture.engine.createBooking(makeCreateBookingInput());
    if (outcome.kind !== "created") throw new Error("booking failed");
    return outcome.booking.bookingId;
  }

  it("confirms a pending booking from another connection while the server's store is open", async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([
        makeAvailability({ spots_total: 2, spots_open: 2, confirmation_mode: "CONFIRMATION_MODE_ASYNCHRONOUS" }),
      ]),
    });
    const bookingId = await pending();
    expect(await run("confirm", bookingId)).toMatchObject({
      code: 0,
      stdout: `booking ${bookingId}: PENDING_MERCHANT_CONFIRMATION -> CONFIRMED\n`,
    });
    expect((await fixture.engine.getBooking(bookingId)).status).toBe("CONFIRMED");
  });

  it("declines a pending booking, freeing its spot, and refuses to decline a confirmed one", async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([makeAvailability({ confirmation_mode: "CONFIRMATION_MODE_ASYNCHRONOUS" })]),
    });
    const bookingId = await pending();
    expect((await run("decline", bookingId)).code).toBe(0);
    const booking = await fixture.engine.getBooking(bookingId);
    expect(booking).toMatchObject({ status: "DECLINED_BY_MERCHANT", slot: { spotsBooked: 0 } });
    const other = await pending();
    await run("confirm", other);
    expect(await run("decline", other)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("is CONFIRMED, not pending"),
    });
    expect(await run("confirm", "missing")).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("no booking with this booking_id exists"),
    });
  });
});
