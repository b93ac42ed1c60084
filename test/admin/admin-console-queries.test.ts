import { afterEach, describe, expect, it } from "vitest";
import { hoursFromNow, makeAvailability, makeFeed, makePolicies } from "../booking/feed-builders.js";
import { makeCreateBookingRequest, makeSlot } from "../rpc/request-builders.js";
import { type BookingServerFixture, startBookingServer } from "../support/booking-server.js";
import { testBackends } from "../support/test-database.js";
import { adminCall, adminCredential } from "./admin-clients.js";

const start = hoursFromNow(48);

describe.each(testBackends)("AdminService queries of the merchant console (%s)", (backend) => {
  let fx: BookingServerFixture | undefined;
  afterEach(async () => {
    await fx?.close();
    fx = undefined;
  });

  async function open(): Promise<BookingServerFixture> {
    fx = await startBookingServer({
      backend,
      adminCredentials: [adminCredential],
      feed: makeFeed([
        makeAvailability({ start_sec: start, spots_total: 5, spots_open: 5, resources: { staff_id: "ana" } }),
        makeAvailability({ start_sec: start, spots_total: 5, spots_open: 5, resources: { staff_id: "ben" } }),
        makeAvailability({ service_id: "s2", start_sec: start, spots_total: 5, spots_open: 5 }),
        makeAvailability({ merchant_id: "m2", start_sec: start, spots_total: 5, spots_open: 5 }),
      ]),
      policies: makePolicies({ merchants: [{ merchant_id: "m1", name: "Salon One", time_zone: "Europe/Berlin" }] }),
    });
    return fx;
  }

  async function book(server: BookingServerFixture, slot: object, user: object): Promise<string> {
    const request = makeCreateBookingRequest({ slot: makeSlot({ start_sec: String(start), ...slot }) });
    request.user_information = { ...(request.user_information as object), ...user };
    const created = await server.rest("CreateBooking", request);
    expect(created.status).toBe(200);
    expect(created.json.booking_failure).toBeUndefined();
    return created.json.booking.booking_id as string;
  }

  const ids = async (server: BookingServerFixture, filters: object): Promise<string[]> => {
    const answer = await adminCall(server.server.url, "ListBookings", { merchantId: "m1", ...filters });
    expect(answer.status).toBe(200);
    return (answer.json.bookings ?? []).map((b: { bookingId: string }) => b.bookingId).sort();
  };

  it("filters bookings by staff, by service and by booking id or customer name", async () => {
    const server = await open();
    const ana = await book(server, { resources: { staff_id: "ana" } }, { given_name: "Ada", family_name: "Lovelace" });
    const ben = await book(server, { resources: { staff_id: "ben" } }, { given_name: "Alan", family_name: "Turing" });
    const other = await book(server, { service_id: "s2" }, { given_name: "Grace", family_name: "Hopper" });

    expect(await ids(server, { staffIds: ["ana"] })).toEqual([ana]);
    expect(await ids(server, { staffIds: ["ana", "ben"] })).toEqual([ana, ben].sort());
    expect(await ids(server, { serviceIds: ["s2"] })).toEqual([other]);
    expect(await ids(server, { query: "lovelace" })).toEqual([ana]);
    expect(await ids(server, { query: "ada love" })).toEqual([ana]);
    expect(await ids(server, { query: "TUR" })).toEqual([ben]);
    expect(await ids(server, { query: other })).toEqual([other]);
    expect(await ids(server, { query: "100%" })).toEqual([]);
    expect(await ids(server, { query: "ada", serviceIds: ["s2"] })).toEqual([]);
  });

  it("pages a filtered listing and refuses a sync token combined with a filter", async () => {
    const server = await open();
    const first = await book(server, { resources: { staff_id: "ana" } }, { family_name: "Lovelace" });
    const second = await book(server, { resources: { staff_id: "ana" } }, { family_name: "Lovelace" });
    await book(server, { resources: { staff_id: "ben" } }, { family_name: "Lovelace" });
    const page = await adminCall(server.server.url, "ListBookings", {
      merchantId: "m1",
      staffIds: ["ana"],
      pageSize: 1,
    });
    const next = await adminCall(server.server.url, "ListBookings", {
      merchantId: "m1",
      staffIds: ["ana"],
      pageSize: 1,
      pageToken: page.json.nextPageToken,
    });
    expect(
      [...page.json.bookings, ...next.json.bookings].map((b: { bookingId: string }) => b.bookingId).sort(),
    ).toEqual([first, second].sort());
    const otherFilter = await adminCall(server.server.url, "ListBookings", {
      merchantId: "m1",
      staffIds: ["ben"],
      pageToken: page.json.nextPageToken,
    });
    expect(otherFilter.status).toBe(400);
    const synced = await adminCall(server.server.url, "ListBookings", {
      merchantId: "m1",
      syncToken: next.json.nextSyncToken,
      query: "x",
    });
    expect(synced.status).toBe(400);
  });

  it("lists merchants with their names and time zones, UTC when none was set", async () => {
    const server = await open();
    const answer = await adminCall(server.server.url, "ListMerchants", {});
    expect(answer.status).toBe(200);
    expect(answer.json.merchants).toEqual([
      { merchantId: "m1", name: "Salon One", timeZone: "Europe/Berlin" },
      { merchantId: "m2", timeZone: "UTC" },
    ]);
    const paged = await adminCall(server.server.url, "ListMerchants", { pageSize: 1 });
    const rest = await adminCall(server.server.url, "ListMerchants", {
      pageSize: 1,
      pageToken: paged.json.nextPageToken,
    });
    expect(rest.json.merchants.map((m: { merchantId: string }) => m.merchantId)).toEqual(["m2"]);
  });
});
