import { afterEach, describe, expect, it } from "vitest";
import { makeCreateBookingInput, makeSlotKey } from "./booking-builders.js";
import { type EngineFixture, openEngineFixture } from "./engine-fixture.js";
import { hoursFromNow, makeAvailability, makeFeed } from "./feed-builders.js";

describe("the availability rule", () => {
  let fixture: EngineFixture;
  afterEach(async () => {
    await fixture.close();
  });

  const verdictOf = (overrides: Parameters<typeof makeSlotKey>[0] = {}) =>
    fixture.engine.lookupAvailability([makeSlotKey(overrides)])[0];

  it("calls an unknown slot unavailable, and a slot differing in any key field unknown", () => {
    fixture = openEngineFixture({
      feed: makeFeed([makeAvailability({ resources: { staff_id: "ann", party_size: 2 } })]),
    });
    expect(verdictOf({ staffId: "ann", partySize: 2 })).toMatchObject({ bookable: true, spotsLeft: 1 });
    expect(verdictOf({ staffId: "bob", partySize: 2 })).toMatchObject({ bookable: false, reason: "unknown" });
    expect(verdictOf({ staffId: "ann", partySize: 4 })).toMatchObject({ bookable: false, reason: "unknown" });
    expect(verdictOf({ staffId: "ann", partySize: 2, durationSec: 3600 })).toMatchObject({ reason: "unknown" });
    expect(verdictOf({ staffId: "ann", partySize: 2, serviceId: "other" })).toMatchObject({ reason: "unknown" });
  });

  it("matches any duration when the lookup gives none", () => {
    fixture = openEngineFixture({ feed: makeFeed([makeAvailability({ duration_sec: 2700 })]) });
    expect(verdictOf({ durationSec: 0 })).toMatchObject({ bookable: true });
    expect(verdictOf({ durationSec: 1800 })).toMatchObject({ bookable: false, reason: "unknown" });
  });

  it("calls a slot that has started unavailable", () => {
    fixture = openEngineFixture({ feed: makeFeed([makeAvailability()]) });
    fixture.clock.set(hoursFromNow(24));
    expect(verdictOf()).toMatchObject({ bookable: false, reason: "past" });
  });

  it("counts spots taken outside this server (spots_open) and by bookings here", async () => {
    fixture = openEngineFixture({ feed: makeFeed([makeAvailability({ spots_total: 5, spots_open: 2 })]) });
    expect(verdictOf()).toMatchObject({ bookable: true, spotsLeft: 2 });
    await fixture.engine.createBooking(makeCreateBookingInput());
    expect(verdictOf()).toMatchObject({ bookable: true, spotsLeft: 1 });
    await fixture.engine.createBooking(makeCreateBookingInput());
    expect(verdictOf()).toMatchObject({ bookable: false, reason: "full" });
  });

  it("is blocked by an overlapping busy interval of the merchant, the slot's staff or its room only", () => {
    const start = hoursFromNow(24);
    fixture = openEngineFixture({
      feed: makeFeed([makeAvailability({ resources: { staff_id: "ann", room_id: "r1" } })]),
    });
    const key = { staffId: "ann", roomId: "r1" };
    fixture.block({ merchantId: "m1", kind: "staff", resourceId: "bob", startSec: start, endSec: start + 1800 });
    fixture.block({ merchantId: "m2", kind: "merchant", startSec: start, endSec: start + 1800 });
    fixture.block({ merchantId: "m1", kind: "merchant", startSec: start - 3600, endSec: start });
    fixture.block({ merchantId: "m1", kind: "merchant", startSec: start + 1800, endSec: start + 3600 });
    expect(verdictOf(key)).toMatchObject({ bookable: true });
    fixture.block({ merchantId: "m1", kind: "room", resourceId: "r1", startSec: start + 1799, endSec: start + 1800 });
    expect(verdictOf(key)).toMatchObject({ bookable: false, reason: "blocked" });
  });

  it.each([
    ["merchant", ""],
    ["staff", "ann"],
  ] as const)("is blocked by a %s interval", (kind, resourceId) => {
    const start = hoursFromNow(24);
    fixture = openEngineFixture({ feed: makeFeed([makeAvailability({ resources: { staff_id: "ann" } })]) });
    fixture.block({ merchantId: "m1", kind, resourceId, startSec: start + 600, endSec: start + 900 });
    expect(verdictOf({ staffId: "ann" })).toMatchObject({ bookable: false, reason: "blocked" });
  });

  it("answers many lookups in request order, unknown ones included", () => {
    const starts = [1, 2, 3].map((h) => hoursFromNow(24 + h));
    fixture = openEngineFixture({ feed: makeFeed(starts.map((start_sec) => makeAvailability({ start_sec }))) });
    const queries = [starts[2], hoursFromNow(99), starts[0]].map((startSec) => makeSlotKey({ startSec }));
    const verdicts = fixture.engine.lookupAvailability(queries);
    expect(verdicts.map((v) => v.bookable)).toEqual([true, false, true]);
    expect(verdicts[0]?.slot?.startSec).toBe(starts[2]);
  });
});
