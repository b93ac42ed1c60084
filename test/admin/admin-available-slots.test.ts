import { afterEach, describe, expect, it } from "vitest";
import { hoursFromNow, makeAvailability, makeFeed } from "../booking/feed-builders.js";
import { unreachableCalendarCredentials } from "../calendar/calendar-fixtures.js";
import { makeCreateBookingRequest, makeSlot } from "../rpc/request-builders.js";
import { type BookingServerFixture, startBookingServer } from "../support/booking-server.js";
import { testBackends } from "../support/test-database.js";
import { adminCall, adminCredential, connectReason } from "./admin-clients.js";

const start = hoursFromNow(48);
const calendarBusy = start + 3600;
const blocked = start + 7200;
const full = start + 10_800;

describe.each(testBackends)("AdminService ListSlots available_only (%s)", (backend) => {
  let fx: BookingServerFixture | undefined;
  afterEach(async () => {
    await fx?.close();
    fx = undefined;
  });

  /** Four slots of m1/s1: one free, one under calendar busy time, one under a block, one full. */
  async function open(): Promise<BookingServerFixture> {
    const server = await startBookingServer({
      backend,
      adminCredentials: [adminCredential],
      feed: makeFeed([
        ...[start, calendarBusy, blocked].map((start_sec) =>
          makeAvailability({ start_sec, spots_total: 2, spots_open: 2 }),
        ),
        makeAvailability({ start_sec: full, spots_total: 2, spots_open: 0 }),
      ]),
    });
    fx = server;
    const credentials = unreachableCalendarCredentials();
    const { link } = await server.storage.calendar.saveLink(
      { merchantId: "m1", resourceKind: "merchant", resourceId: "", calendarId: "front@example.com", credentials },
      server.clock.nowSec(),
    );
    const applied = await server.storage.calendar.applySync(
      link,
      {
        mode: "full",
        changes: [{ eventId: "dentist", range: { startSec: calendarBusy + 600, endSec: calendarBusy + 1200 } }],
        nextSyncToken: "sync-1",
        timeZone: "UTC",
      },
      server.clock.nowSec(),
      server.clock.nowSec() + 300,
    );
    expect(applied?.busyIntervals).toBe(1);
    const block = await adminCall(server.server.url, "AddBlock", {
      block: { merchantId: "m1", startSec: String(blocked), endSec: String(blocked + 1800), note: "training" },
    });
    expect(block.status).toBe(200);
    return server;
  }

  const starts = (answer: { json: { slots?: { startSec: string }[] } }) =>
    (answer.json.slots ?? []).map((slot) => Number(slot.startSec));

  it("lists only the slots the availability rule finds bookable, calendar busy time included", async () => {
    const server = await open();
    const all = await adminCall(server.server.url, "ListSlots", { merchantId: "m1" });
    expect(starts(all)).toEqual([start, calendarBusy, blocked, full]);
    const free = await adminCall(server.server.url, "ListSlots", { merchantId: "m1", availableOnly: true });
    expect(free.status).toBe(200);
    expect(starts(free)).toEqual([start]);

    // The server agrees: BatchAvailabilityLookup and a reschedule refuse what the listing leaves out.
    const lookup = await server.rest("BatchAvailabilityLookup", {
      merchant_id: "m1",
      slot_time: [start, calendarBusy, blocked, full].map((s) => ({
        service_id: "s1",
        start_sec: String(s),
        duration_sec: "1800",
      })),
    });
    expect(lookup.json.slot_time_availability.map((a: { available?: boolean }) => a.available === true)).toEqual([
      true,
      false,
      false,
      false,
    ]);
    const created = await server.rest(
      "CreateBooking",
      makeCreateBookingRequest({ slot: makeSlot({ start_sec: String(start) }) }),
    );
    const bookingId = created.json.booking.booking_id as string;
    const moved = await adminCall(server.server.url, "RescheduleBooking", {
      bookingId,
      startSec: String(calendarBusy),
    });
    expect(connectReason(moved)).toBe("BOOKING_CHANGE_REFUSED");
    expect(moved.json.message).toBe("the new slot is blocked");
  });

  it("pages by the slots read, so a page may hold fewer slots than asked and the tokens still reach the end", async () => {
    const server = await open();
    const seen: number[] = [];
    let pageToken = "";
    let pages = 0;
    do {
      const page = await adminCall(server.server.url, "ListSlots", {
        merchantId: "m1",
        availableOnly: true,
        pageSize: 2,
        pageToken,
      });
      expect(page.status).toBe(200);
      seen.push(...starts(page));
      pageToken = page.json.nextPageToken ?? "";
      pages += 1;
    } while (pageToken);
    expect(seen).toEqual([start]);
    expect(pages).toBe(3);

    const first = await adminCall(server.server.url, "ListSlots", { merchantId: "m1", pageSize: 2 });
    const mixed = await adminCall(server.server.url, "ListSlots", {
      merchantId: "m1",
      availableOnly: true,
      pageToken: first.json.nextPageToken,
    });
    expect(mixed.status).toBe(400);
  });
});
