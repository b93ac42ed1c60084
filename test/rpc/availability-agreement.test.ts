import { afterEach, describe, expect, it } from "vitest";
import { hoursFromNow, makeAvailability, makeFeed } from "../booking/feed-builders.js";
import { type BookingServerFixture, startBookingServer } from "../support/booking-server.js";
import { testBackends } from "../support/test-database.js";
import { makeCreateBookingRequest, makeSlot } from "./request-builders.js";

const base = hoursFromNow(24);
const at = (i: number) => base + i * 3600;

describe.each(testBackends)("availability over REST (%s)", (backend) => {
  let fx: BookingServerFixture | undefined;
  afterEach(async () => {
    await fx?.close();
    fx = undefined;
  });

  it("answers one entry per SlotTime, echoing each exactly, unknown ones unavailable", async () => {
    fx = await startBookingServer({
      backend,
      feed: makeFeed([makeAvailability({ start_sec: at(0), resources: { staff_id: "ann" } })]),
    });
    const request = {
      merchant_id: "m1",
      slot_time: [
        {
          service_id: "s1",
          start_sec: String(at(0)),
          duration_sec: "1800",
          resource_ids: { staff_id: "ann" },
          availability_tag: "t",
        },
        { service_id: "s1", start_sec: String(at(9)), duration_sec: "1800" },
        { service_id: "s1", start_sec: at(0), resource_ids: { staff_id: "ann" } },
      ],
    };
    const answer = await fx.rest("BatchAvailabilityLookup", request);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      slot_time_availability: [
        {
          slot_time: {
            service_id: "s1",
            start_sec: String(at(0)),
            duration_sec: "1800",
            availability_tag: "t",
            resource_ids: { staff_id: "ann" },
          },
          available: true,
        },
        { slot_time: { service_id: "s1", start_sec: String(at(9)), duration_sec: "1800" } },
        {
          slot_time: { service_id: "s1", start_sec: String(at(0)), resource_ids: { staff_id: "ann" } },
          available: true,
        },
      ],
    });
  });

  it("agrees with CreateBooking on every kind of slot: open, full, blocked, started, withdrawn and unknown", async () => {
    fx = await startBookingServer({
      backend,
      feed: makeFeed([
        makeAvailability({ start_sec: at(0) }),
        makeAvailability({ start_sec: at(1), spots_total: 3, spots_open: 0 }),
        makeAvailability({ start_sec: at(2), resources: { staff_id: "ann" } }),
        makeAvailability({ start_sec: at(3), resources: { room_id: "r1" } }),
        makeAvailability({ start_sec: hoursFromNow(1) }),
        makeAvailability({ start_sec: at(5) }),
        makeAvailability({ start_sec: at(6), spots_total: 4, spots_open: 2 }),
      ]),
    });
    const server = fx;
    await server.block({ merchantId: "m1", kind: "staff", resourceId: "ann", startSec: at(2), endSec: at(2) + 60 });
    await server.block({ merchantId: "m1", kind: "room", resourceId: "r2", startSec: at(3), endSec: at(3) + 1800 });
    server.clock.set(hoursFromNow(1));
    await server.sql.run("UPDATE slot SET in_feed = 0 WHERE start_sec = ?", [at(5)]);
    const slots = [
      makeSlot({ start_sec: String(at(0)) }),
      makeSlot({ start_sec: String(at(1)) }),
      makeSlot({ start_sec: String(at(2)), resources: { staff_id: "ann" } }),
      makeSlot({ start_sec: String(at(3)), resources: { room_id: "r1" } }),
      makeSlot({ start_sec: String(hoursFromNow(1)) }),
      makeSlot({ start_sec: String(at(5)) }),
      makeSlot({ start_sec: String(at(6)) }),
      makeSlot({ start_sec: String(at(7)) }),
    ];
    const lookup = await server.rest("BatchAvailabilityLookup", {
      merchant_id: "m1",
      slot_time: slots.map(({ merchant_id: _m, resources, ...rest }) => ({
        ...rest,
        ...(resources ? { resource_ids: resources } : {}),
      })),
    });
    const available = lookup.json.slot_time_availability.map((a: { available?: boolean }) => a.available === true);
    expect(available).toEqual([true, false, false, true, false, false, true, false]);
    for (const [i, slot] of slots.entries()) {
      const check = await server.rest("CheckAvailability", { slot });
      expect(check.json.count_available ?? 0, `CheckAvailability slot ${i}`).toBe(available[i] ? (i === 6 ? 2 : 1) : 0);
      const created = await server.rest("CreateBooking", makeCreateBookingRequest({ slot }));
      expect(created.json.booking !== undefined, `CreateBooking slot ${i}`).toBe(available[i]);
      if (!available[i]) expect(created.json.booking_failure.cause).toBe("SLOT_UNAVAILABLE");
    }
  });
});
