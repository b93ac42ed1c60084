import { afterEach, describe, expect, it } from "vitest";
import { testBackends } from "../support/test-database.js";
import { makeCreateBookingInput, makeSlotKey } from "./booking-builders.js";
import { type EngineFixture, openEngineFixture } from "./engine-fixture.js";
import { hoursFromNow, makeAvailability, makeFeed } from "./feed-builders.js";

describe.each(testBackends)("the availability rule (%s)", async (backend) => {
  let fixture: EngineFixture;
  afterEach(async () => {
    await fixture.close();
  });

  const verdictOf = async (overrides: Parameters<typeof makeSlotKey>[0] = {}) =>
    (await fixture.engine.lookupAvailability([makeSlotKey(overrides)]))[0];

  it("calls an unknown slot unavailable, and a slot differing in any key field unknown", async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([makeAvailability({ resources: { staff_id: "ann", party_size: 2 } })]),
    });
    expect(await verdictOf({ staffId: "ann", partySize: 2 })).toMatchObject({ bookable: true, spotsLeft: 1 });
    expect(await verdictOf({ staffId: "bob", partySize: 2 })).toMatchObject({ bookable: false, reason: "unknown" });
    expect(await verdictOf({ staffId: "ann", partySize: 4 })).toMatchObject({ bookable: false, reason: "unknown" });
    expect(await verdictOf({ staffId: "ann", partySize: 2, durationSec: 3600 })).toMatchObject({ reason: "unknown" });
    expect(await verdictOf({ staffId: "ann", partySize: 2, serviceId: "other" })).toMatchObject({ reason: "unknown" });
  });

  it("matches any duration when the lookup gives none", async () => {
    fixture = await openEngineFixture({ backend, feed: makeFeed([makeAvailability({ duration_sec: 2700 })]) });
    expect(await verdictOf({ durationSec: 0 })).toMatchObject({ bookable: true });
    expect(await verdictOf({ durationSec: 1800 })).toMatchObject({ bookable: false, reason: "unknown" });
  });

  it("calls a slot that has started unavailable", async () => {
    fixture = await openEngineFixture({ backend, feed: makeFeed([makeAvailability()]) });
    fixture.clock.set(hoursFromNow(24));
    expect(await verdictOf()).toMatchObject({ bookable: false, reason: "past" });
  });

  it("counts spots taken outside this server (spots_open) and by bookings here", async () => {
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([makeAvailability({ spots_total: 5, spots_open: 2 })]),
    });
    expect(await verdictOf()).toMatchObject({ bookable: true, spotsLeft: 2 });
    await fixture.engine.createBooking(makeCreateBookingInput());
    expect(await verdictOf()).toMatchObject({ bookable: true, spotsLeft: 1 });
    await fixture.engine.createBooking(makeCreateBookingInput());
    expect(await verdictOf()).toMatchObject({ bookable: false, reason: "full" });
  });

  it("is blocked by an overlapping busy interval of the merchant, the slot's staff or its room only", async () => {
    const start = hoursFromNow(24);
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([makeAvailability({ resources: { staff_id: "ann", room_id: "r1" } })]),
    });
    const key = { staffId: "ann", roomId: "r1" };
    await fixture.block({ merchantId: "m1", kind: "staff", resourceId: "bob", startSec: start, endSec: start + 1800 });
    await fixture.block({ merchantId: "m2", kind: "merchant", startSec: start, endSec: start + 1800 });
    await fixture.block({ merchantId: "m1", kind: "merchant", startSec: start - 3600, endSec: start });
    await fixture.block({ merchantId: "m1", kind: "merchant", startSec: start + 1800, endSec: start + 3600 });
    expect(await verdictOf(key)).toMatchObject({ bookable: true });
    await fixture.block({
      merchantId: "m1",
      kind: "room",
      resourceId: "r1",
      startSec: start + 1799,
      endSec: start + 1800,
    });
    expect(await verdictOf(key)).toMatchObject({ bookable: false, reason: "blocked" });
  });

  it.each([
    ["merchant", ""],
    ["staff", "ann"],
  ] as const)("is blocked by a %s interval", async (kind, resourceId) => {
    const start = hoursFromNow(24);
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed([makeAvailability({ resources: { staff_id: "ann" } })]),
    });
    await fixture.block({ merchantId: "m1", kind, resourceId, startSec: start + 600, endSec: start + 900 });
    expect(await verdictOf({ staffId: "ann" })).toMatchObject({ bookable: false, reason: "blocked" });
  });

  it("answers many lookups in request order, unknown ones included", async () => {
    const starts = [1, 2, 3].map((h) => hoursFromNow(24 + h));
    fixture = await openEngineFixture({
      backend,
      feed: makeFeed(starts.map((start_sec) => makeAvailability({ start_sec }))),
    });
    const queries = [starts[2], hoursFromNow(99), starts[0]].map((startSec) => makeSlotKey({ startSec }));
    const verdicts = await fixture.engine.lookupAvailability(queries);
    expect(verdicts.map((v) => v.bookable)).toEqual([true, false, true]);
    expect(verdicts[0]?.slot?.startSec).toBe(starts[2]);
  });
});
