import { afterEach, describe, expect, it } from "vitest";
import { loadDemoInventory } from "../../src/demo/demo-inventory.js";
import { makeCreateBookingInput, makeSlotKey } from "../booking/booking-builders.js";
import { type EngineFixture, openEngineFixture } from "../booking/engine-fixture.js";
import { testNowSec } from "../booking/feed-builders.js";
import { testBackends } from "../support/test-database.js";

const tomorrow = Math.floor(testNowSec / 86_400) * 86_400 + 86_400;

describe.each(testBackends)("demo inventory (%s)", async (backend) => {
  let fixture: EngineFixture;
  afterEach(async () => {
    await fixture.close();
  });

  it("loads 14 days of slots through the feed import, only into an empty database", async () => {
    fixture = await openEngineFixture({ backend });
    const first = await loadDemoInventory(fixture.storage.inventory, fixture.clock);
    expect(first?.slots).toBeGreaterThan(14 * 30);
    expect(first?.skippedPast).toBeGreaterThan(0);
    expect(await loadDemoInventory(fixture.storage.inventory, fixture.clock)).toBeUndefined();
  });

  it("offers a salon with staff, a class of 10, party sizes, an asynchronous and a prepaid service", async () => {
    fixture = await openEngineFixture({ backend });
    await loadDemoInventory(fixture.storage.inventory, fixture.clock);
    const verdicts = await fixture.engine.lookupAvailability([
      makeSlotKey({ merchantId: "demo-salon", serviceId: "haircut", startSec: tomorrow + 9 * 3600, staffId: "alice" }),
      makeSlotKey({
        merchantId: "demo-fitness",
        serviceId: "yoga-class",
        startSec: tomorrow + 7 * 3600,
        durationSec: 3600,
        roomId: "studio-1",
      }),
      makeSlotKey({
        merchantId: "demo-restaurant",
        serviceId: "dinner",
        startSec: tomorrow + 19 * 3600,
        durationSec: 5400,
        partySize: 4,
      }),
    ]);
    expect(verdicts.map((v) => v.spotsLeft)).toEqual([1, 10, 3]);
    const pending = await fixture.engine.createBooking(
      makeCreateBookingInput({
        slot: makeSlotKey({
          merchantId: "demo-salon",
          serviceId: "color-consultation",
          startSec: tomorrow + 10.5 * 3600,
          durationSec: 2700,
          staffId: "alice",
        }),
      }),
    );
    expect(pending.kind === "created" && pending.booking.status).toBe("PENDING_MERCHANT_CONFIRMATION");
    const paid = await fixture.engine.createBooking(
      makeCreateBookingInput({
        slot: makeSlotKey({
          merchantId: "demo-fitness",
          serviceId: "personal-training",
          startSec: tomorrow + 12 * 3600,
          durationSec: 3600,
          staffId: "coach-sam",
        }),
      }),
    );
    expect(paid.kind === "created" && paid.booking.payment).toMatchObject({
      prepayment: "PROVIDED",
      price: { priceMicros: 40_000_000 },
    });
  });
});
