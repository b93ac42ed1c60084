import { describe, expect, it } from "vitest";
import { ConfirmationMode } from "../../gen/booking/partner/v3/slot_pb.js";
import { FeedError, parseAvailabilityFeed } from "../../src/conformance/feed-reader.js";

const now = 2_000_000_000;

function feedOf(...availability: Record<string, unknown>[]) {
  return { service_availability: [{ availability }] };
}

const entry = { merchant_id: "m1", service_id: "s1", start_sec: now + 3600, duration_sec: 1800, spots_total: 2 };

describe("parseAvailabilityFeed", () => {
  it("reads a slot with defaults for what the feed leaves out", () => {
    expect(parseAvailabilityFeed(feedOf(entry), now)).toEqual([
      {
        merchantId: "m1",
        serviceId: "s1",
        startSec: now + 3600,
        durationSec: 1800,
        spotsTotal: 2,
        spotsOpen: 2,
        availabilityTag: "",
        staffId: "",
        roomId: "",
        partySize: 0,
        confirmationMode: ConfirmationMode.UNSPECIFIED,
      },
    ]);
  });

  it("accepts int64 as strings, lowerCamelCase names, resources and confirmation modes by name", () => {
    const [slot] = parseAvailabilityFeed(
      feedOf({
        merchantId: "m1",
        serviceId: "s1",
        startSec: String(now + 60),
        durationSec: "900",
        spotsTotal: "3",
        spotsOpen: "1",
        availabilityTag: "tag-1",
        resources: { staff_id: "ann", room_id: "r2", party_size: 4 },
        confirmation_mode: "CONFIRMATION_MODE_ASYNCHRONOUS",
      }),
      now,
    );
    expect(slot).toMatchObject({
      startSec: now + 60,
      durationSec: 900,
      spotsTotal: 3,
      spotsOpen: 1,
      availabilityTag: "tag-1",
      staffId: "ann",
      roomId: "r2",
      partySize: 4,
      confirmationMode: ConfirmationMode.ASYNCHRONOUS,
    });
  });

  it("expands a recurrence up to repeat_until_sec inclusive and drops occurrences touching an exception", () => {
    const slots = parseAvailabilityFeed(
      feedOf({
        ...entry,
        start_sec: now + 1000,
        duration_sec: 500,
        recurrence: { repeat_until_sec: now + 5000, repeat_every_sec: 1000 },
        // [3400, 4000) overlaps the 3000 slot's [3000, 3500) and just misses the 4000 slot.
        schedule_exception: [{ time_range: { begin_sec: now + 3400, end_sec: now + 4000 } }],
      }),
      now,
    );
    expect(slots.map((s) => s.startSec - now)).toEqual([1000, 2000, 4000, 5000]);
  });

  it("leaves out slots before the cut-off, including past occurrences of a recurrence", () => {
    const slots = parseAvailabilityFeed(
      feedOf(
        { ...entry, start_sec: now - 10 },
        {
          ...entry,
          service_id: "s2",
          start_sec: now - 2500,
          recurrence: { repeat_until_sec: now + 2000, repeat_every_sec: 1000 },
        },
      ),
      now,
    );
    expect(slots.map((s) => [s.serviceId, s.startSec - now])).toEqual([
      ["s2", 500],
      ["s2", 1500],
    ]);
  });

  it("leaves out slots without open spots and keeps one copy of a repeated slot", () => {
    const slots = parseAvailabilityFeed(
      feedOf({ ...entry, spots_open: 0 }, { ...entry, service_id: "s2" }, { ...entry, service_id: "s2" }),
      now,
    );
    expect(slots.map((s) => s.serviceId)).toEqual(["s2"]);
  });

  it("sorts slots by start time across services and merchants", () => {
    const slots = parseAvailabilityFeed(
      {
        service_availability: [
          { availability: [{ ...entry, start_sec: now + 900 }] },
          { availability: [{ ...entry, merchant_id: "m0", start_sec: now + 100 }] },
        ],
      },
      now,
    );
    expect(slots.map((s) => s.merchantId)).toEqual(["m0", "m1"]);
  });

  it.each([
    [{}, "service_availability: expected an array"],
    [
      feedOf({ ...entry, start_sec: "soon" }),
      'service_availability[0].availability[0].start_sec: expected an integer, got "soon"',
    ],
    [feedOf({ ...entry, duration_sec: 0 }), "service_availability[0].availability[0].duration_sec: must be positive"],
    [
      feedOf({ ...entry, merchant_id: "" }),
      "service_availability[0].availability[0].merchant_id: expected a non-empty string",
    ],
    [
      feedOf({ ...entry, confirmation_mode: "LATER" }),
      'service_availability[0].availability[0].confirmation_mode: unknown value "LATER"',
    ],
    [
      feedOf({ ...entry, confirmation_mode: "constructor" }),
      'service_availability[0].availability[0].confirmation_mode: unknown value "constructor"',
    ],
    [
      feedOf({ ...entry, recurrence: { repeat_until_sec: now, repeat_every_sec: 0 } }),
      "service_availability[0].availability[0].recurrence.repeat_every_sec: must be positive",
    ],
    [
      feedOf({ ...entry, schedule_exception: [{}] }),
      "service_availability[0].availability[0].schedule_exception[0].time_range: expected an object",
    ],
  ])("rejects %j naming the offending field", (feed, message) => {
    expect(() => parseAvailabilityFeed(feed, now)).toThrow(new FeedError(message));
  });
});
