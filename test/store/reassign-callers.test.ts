import { afterEach, describe, expect, it } from "vitest";
import { openAppPorts } from "../../src/app.js";
import { importFeed } from "../../src/feed/import-feed.js";
import { openStorage } from "../../src/store/open-storage.js";
import { makeCreateBookingInput } from "../booking/booking-builders.js";
import { type EngineFixture, openEngineFixture } from "../booking/engine-fixture.js";
import { makeAvailability, makeFeed, testNowSec } from "../booking/feed-builders.js";
import { postJson } from "../support/booking-server.js";
import { createTestDatabase, testBackends } from "../support/test-database.js";
import { basicAuthOfLine, startTestServer } from "../support/test-server.js";

const bytes = (outcome: { kind: string; response?: Uint8Array }) => Buffer.from(outcome.response ?? []).toString();

describe.each(testBackends)("moving a credential user's rows to the aggregator it was assigned to (%s)", (backend) => {
  let fixture: EngineFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  it("moves the user's bookings and tokens in one step, and a second run moves nothing", async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([makeAvailability({ spots_total: 3, spots_open: 3 })]),
    });
    const { engine, storage } = fixture;
    const before = makeCreateBookingInput({ caller: "google-2026a" });
    const created = await engine.createBooking(before);
    const untouched = await engine.createBooking(makeCreateBookingInput({ caller: "partner" }));
    if (created.kind !== "created" || untouched.kind !== "created") throw new Error("not booked");

    const aggregators = new Map([
      ["google-2026a", "google"],
      ["google-2026b", "google"],
      ["partner", "partner"],
    ]);
    expect(await storage.reassignCallers(aggregators)).toEqual([
      { user: "google-2026a", aggregator: "google", bookings: 1, tokens: 1, conflictingTokens: 0 },
    ]);
    expect(await storage.reassignCallers(aggregators)).toEqual([]);

    expect((await engine.getBookingOf("google", created.booking.bookingId)).bookingId).toBe(created.booking.bookingId);
    await expect(engine.getBookingOf("google-2026a", created.booking.bookingId)).rejects.toThrow(
      /no booking with this booking_id exists/,
    );
    expect((await engine.getBookingOf("partner", untouched.booking.bookingId)).bookingId).toBe(
      untouched.booking.bookingId,
    );
    const replay = await engine.createBooking({ ...before, caller: "google" });
    expect(replay.kind).toBe("replayed");
    expect(bytes(replay)).toBe(bytes(created));
  });

  it("keeps the record the aggregator already holds for a token, reports the other, and still moves both bookings", async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([makeAvailability({ spots_total: 3, spots_open: 3 })]),
    });
    const { engine, storage } = fixture;
    const first = makeCreateBookingInput({ caller: "google-a" });
    // The same token sent again after a rotation, before credentials were grouped: a second booking.
    const second = makeCreateBookingInput({ caller: "google-b", idempotencyToken: first.idempotencyToken });
    const kept = await engine.createBooking(first);
    const other = await engine.createBooking(second);
    if (kept.kind !== "created" || other.kind !== "created") throw new Error("not booked");

    const aggregators = new Map([
      ["google-a", "google"],
      ["google-b", "google"],
    ]);
    expect(await storage.reassignCallers(aggregators)).toEqual([
      { user: "google-a", aggregator: "google", bookings: 1, tokens: 1, conflictingTokens: 0 },
      { user: "google-b", aggregator: "google", bookings: 1, tokens: 0, conflictingTokens: 1 },
    ]);
    expect(await storage.reassignCallers(aggregators)).toEqual([
      { user: "google-b", aggregator: "google", bookings: 0, tokens: 0, conflictingTokens: 1 },
    ]);
    expect(await engine.listBookings("google", first.user.userId)).toHaveLength(1);
    expect((await engine.getBookingOf("google", other.booking.bookingId)).bookingId).toBe(other.booking.bookingId);
    expect(bytes(await engine.createBooking({ ...first, caller: "google" }))).toBe(bytes(kept));
  });

  it("serves a user's earlier bookings to every credential of the aggregator it is assigned to at startup", async () => {
    const temp = await createTestDatabase(backend);
    const old = await openAppPorts({ storage: await openStorage(temp.url), clock: { nowSec: () => testNowSec } });
    await importFeed(
      old.storage.inventory,
      { feedFile: "feed.json", feedText: JSON.stringify(makeFeed([makeAvailability()])) },
      { nowSec: testNowSec },
    );
    const created = await old.engine.createBooking(makeCreateBookingInput({ caller: "alpha-2026a" }));
    await old.close();
    if (created.kind !== "created") throw new Error("not booked");

    const credentials = ["[alpha] alpha-2026a:first", "[alpha] alpha-2026b:second"];
    const server = await startTestServer({ database: temp.url, credentials });
    try {
      const status = await postJson(server.url, basicAuthOfLine(credentials[1] ?? ""), "GetBookingStatus", {
        booking_id: created.booking.bookingId,
      });
      expect(status.json).toMatchObject({ booking_id: created.booking.bookingId, booking_status: "CONFIRMED" });
      expect(server.logLines()).toContainEqual(
        expect.objectContaining({ user: "alpha-2026a", aggregator: "alpha", bookings: 1, tokens: 1 }),
      );
    } finally {
      await server.close();
      await temp.remove();
    }
  });
});
