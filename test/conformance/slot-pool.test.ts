import { describe, expect, it } from "vitest";
import { ConfirmationMode } from "../../gen/booking/partner/v3/slot_pb.js";
import type { FeedSlot } from "../../src/conformance/feed-reader.js";
import { SlotPool } from "../../src/conformance/slot-pool.js";

function slot(startSec: number, spotsOpen: number, merchantId = "m1"): FeedSlot {
  return {
    merchantId,
    serviceId: "s1",
    startSec,
    durationSec: 100,
    spotsTotal: spotsOpen,
    spotsOpen,
    availabilityTag: "",
    staffId: "",
    roomId: "",
    partySize: 0,
    confirmationMode: ConfirmationMode.UNSPECIFIED,
  };
}

describe("SlotPool", () => {
  it("hands out each open spot once, filling slots already in use before touching new ones", () => {
    const pool = new SlotPool([slot(0, 1), slot(100, 2), slot(200, 2)]);
    const taken = [
      pool.takeSpot(),
      pool.takeSpot(),
      pool.takeSpot(),
      pool.takeSpot(),
      pool.takeSpot(),
      pool.takeSpot(),
    ];
    expect(taken.map((s) => s?.startSec)).toEqual([100, 100, 200, 200, 0, undefined]);
  });

  it("never gives a user a slot it holds and prefers slots that do not overlap its others", () => {
    const held = slot(0, 5);
    const pool = new SlotPool([held, slot(50, 5), slot(100, 5), slot(50, 5, "m2")]);
    expect(pool.takeSpot({ avoid: [held] })?.startSec).toBe(50);
    expect(pool.takeSpot({ avoid: [held] })).toMatchObject({ merchantId: "m2" });
    expect(pool.takeSpot({ avoid: [held, slot(50, 5, "m2")] })?.startSec).toBe(100);
  });

  it("claims the smallest untouched slot whole and never hands out its spots again", () => {
    const pool = new SlotPool([slot(0, 3), slot(100, 2), slot(200, 30)]);
    expect(pool.claimWholeSlot(20)?.startSec).toBe(100);
    expect(pool.claimWholeSlot(20)?.startSec).toBe(0);
    expect(pool.claimWholeSlot(20)).toBeUndefined();
    expect(pool.takeSpot({ where: (s) => s.startSec < 200 })).toBeUndefined();
  });

  it("does not claim a slot another check already took a spot from", () => {
    const pool = new SlotPool([slot(0, 2)]);
    pool.takeSpot();
    expect(pool.claimWholeSlot(20)).toBeUndefined();
    expect(pool.takeSpot()?.startSec).toBe(0);
  });
});
