import { afterEach, describe, expect, it } from "vitest";
import { bookingsCommand } from "../../src/cli/bookings-command.js";
import { notificationsCommand } from "../../src/cli/notifications-command.js";
import { makeCreateBookingInput } from "../booking/booking-builders.js";
import { type EngineFixture, openEngineFixture } from "../booking/engine-fixture.js";
import { hoursFromNow, makeAvailability, makeFeed } from "../booking/feed-builders.js";
import { runCommand } from "../support/run-command.js";
import { createTestClock } from "../support/test-clock.js";
import { testBackends } from "../support/test-database.js";

describe.each(testBackends)("booking-server bookings and notifications (%s)", (backend) => {
  let fixture: EngineFixture;
  afterEach(async () => {
    await fixture.close();
  });

  const bookings = (...argv: string[]) =>
    runCommand(bookingsCommand, [...argv, "--db", fixture.url], createTestClock());
  const notifications = (...argv: string[]) =>
    runCommand(notificationsCommand, [...argv, "--db", fixture.url], createTestClock());

  it("lists as a table and JSON, refuses a stale etag, cancels, reschedules and shows the queued updates", async () => {
    const start = hoursFromNow(24);
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([
        makeAvailability({ start_sec: start, spots_total: 3, spots_open: 3 }),
        makeAvailability({ start_sec: start + 3600, spots_total: 3, spots_open: 3 }),
      ]),
    });
    const ids: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const outcome = await fixture.engine.createBooking(makeCreateBookingInput());
      if (outcome.kind !== "created") throw new Error("booking failed");
      ids.push(outcome.booking.bookingId);
    }
    const [a = "", b = ""] = ids;
    const table = await bookings("list", "--merchant", "m1");
    expect(table.stdout.split("\n")[0]).toMatch(/^BOOKING\s+STATUS\s+MERCHANT\s+SERVICE\s+START\s+ETAG$/);
    expect(table.stdout).toContain(a);
    const listed = JSON.parse((await bookings("list", "--json")).stdout) as { bookingId: string; etag: string }[];
    expect(listed.map((x) => x.bookingId).sort()).toEqual([...ids].sort());
    const etag = listed.find((x) => x.bookingId === a)?.etag ?? "";

    const moved = await bookings("reschedule", a, "--start", String(start + 3600), "--etag", etag);
    expect(moved.stdout).toMatch(/CONFIRMED at .* -> CONFIRMED at /);
    expect(await bookings("cancel", a, "--etag", etag)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("changed since it was read"),
    });
    expect(await bookings("cancel", b, "--reason", "closed")).toMatchObject({
      code: 0,
      stdout: `booking ${b}: CONFIRMED -> CANCELED\n`,
    });

    const queued = JSON.parse((await notifications("list", "--json", "--state", "pending")).stdout) as {
      kind: string;
      bookingId: string;
    }[];
    expect(queued.filter((n) => n.kind === "booking").map((n) => n.bookingId)).toEqual([a, b]);
    const text = await notifications("list");
    expect(text.stdout.split("\n")[0]).toMatch(/^ID\s+KIND\s+BOOKING\s+STATE\s+ATTEMPTS/);
    expect(await notifications("retry", "999")).toMatchObject({ code: 1 });
  });
});
