import { afterEach, describe, expect, it } from "vitest";
import { testBackends } from "../support/test-database.js";
import { makeCreateBookingInput } from "./booking-builders.js";
import { type EngineFixture, openEngineFixture } from "./engine-fixture.js";
import { makeAvailability, makeFeed } from "./feed-builders.js";

describe.each(testBackends)("CreateBooking idempotency (%s)", async (backend) => {
  let fixture: EngineFixture;
  afterEach(async () => {
    await fixture.close();
  });

  it("replays the stored response bytes for the same caller, token and request", async () => {
    fixture = await openEngineFixture({ backend, feed: makeFeed([makeAvailability()]) });
    const input = makeCreateBookingInput();
    const first = await fixture.engine.createBooking(input);
    const replay = await fixture.engine.createBooking({ ...input, render: () => new Uint8Array([1]) });
    expect(first.kind).toBe("created");
    expect(replay.kind).toBe("replayed");
    expect(replay.kind !== "failed" && Buffer.from(replay.response)).toEqual(
      first.kind !== "failed" && Buffer.from(first.response),
    );
  });

  it("scopes tokens to the caller", async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([makeAvailability({ spots_total: 2, spots_open: 2 })]),
    });
    const input = makeCreateBookingInput();
    await fixture.engine.createBooking(input);
    const other = await fixture.engine.createBooking({
      ...input,
      caller: "other-partner",
      user: { ...input.user, userId: "u2" },
    });
    expect(other.kind).toBe("created");
  });

  it("refuses the same token with a different request and creates nothing", async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([makeAvailability({ spots_total: 2, spots_open: 2 })]),
    });
    const input = makeCreateBookingInput();
    await fixture.engine.createBooking(input);
    await expect(fixture.engine.createBooking({ ...input, fingerprint: "different" })).rejects.toMatchObject({
      code: "IDEMPOTENCY_TOKEN_REUSED",
    });
    expect(await fixture.sql.value("SELECT COUNT(*) FROM booking")).toBe(1);
  });

  it("stores nothing for a failure, so a retry of the same token is processed afresh", async () => {
    fixture = await openEngineFixture({ backend, feed: makeFeed([makeAvailability()]) });
    const holder = await fixture.engine.createBooking(makeCreateBookingInput());
    const input = makeCreateBookingInput();
    expect((await fixture.engine.createBooking(input)).kind).toBe("failed");
    if (holder.kind !== "created") throw new Error("first booking failed");
    await fixture.engine.updateBooking({ caller: "partner", bookingId: holder.booking.bookingId, cancel: true });
    expect((await fixture.engine.createBooking(input)).kind).toBe("created");
  });

  it("creates one booking for 100 concurrent requests with one token, the rest replays", async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([makeAvailability({ spots_total: 10, spots_open: 10 })]),
    });
    const input = makeCreateBookingInput();
    const outcomes = await Promise.all(Array.from({ length: 100 }, () => fixture.engine.createBooking(input)));
    expect(outcomes.filter((o) => o.kind === "created")).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === "replayed")).toHaveLength(99);
    expect(await fixture.sql.value("SELECT COUNT(*) FROM booking")).toBe(1);
  });

  it("keeps replaying a token after its booking was cancelled, without booking again", async () => {
    fixture = await openEngineFixture({ backend, feed: makeFeed([makeAvailability()]) });
    const input = makeCreateBookingInput();
    const first = await fixture.engine.createBooking(input);
    if (first.kind !== "created") throw new Error("booking failed");
    await fixture.engine.updateBooking({ caller: "partner", bookingId: first.booking.bookingId, cancel: true });
    fixture.clock.advance(365 * 86_400);
    expect((await fixture.engine.createBooking(input)).kind).toBe("replayed");
  });
});
