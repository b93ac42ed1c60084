import { afterEach, describe, expect, it } from "vitest";
import { hoursFromNow, makeAvailability, makeFeed } from "../booking/feed-builders.js";
import { makeCreateBookingRequest, makeSlot } from "../rpc/request-builders.js";
import { type BookingServerFixture, startBookingServer } from "../support/booking-server.js";
import { testBackends } from "../support/test-database.js";
import { adminCall, adminCredential, adminGrpcCall, connectReason } from "./admin-clients.js";

const start = hoursFromNow(48);
const later = start + 3600;

describe.each(testBackends)("AdminService bookings (%s)", (backend) => {
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
        makeAvailability({ start_sec: start, spots_total: 20, spots_open: 20 }),
        makeAvailability({ start_sec: later, spots_total: 20, spots_open: 20 }),
        makeAvailability({
          service_id: "async",
          start_sec: start,
          spots_total: 5,
          spots_open: 5,
          confirmation_mode: "CONFIRMATION_MODE_ASYNCHRONOUS",
        }),
      ]),
    });
    return fx;
  }

  async function book(server: BookingServerFixture, slot: Record<string, unknown> = {}): Promise<string> {
    const created = await server.rest(
      "CreateBooking",
      makeCreateBookingRequest({ slot: makeSlot({ start_sec: String(start), ...slot }) }),
    );
    expect(created.status).toBe(200);
    return created.json.booking.booking_id as string;
  }

  it("announces a slot freed by a cancel or a decline under a block with no open spot, as BatchAvailabilityLookup answers", async () => {
    const server = await open();
    const cancelled = await book(server);
    const declined = await book(server, { service_id: "async" });
    await adminCall(server.server.url, "AddBlock", {
      block: { merchantId: "m1", startSec: String(start), endSec: String(start + 1800), note: "flooded" },
    });
    const outboxBefore = (await server.storage.outbox.list({ limit: 1000 })).length;
    expect((await adminCall(server.server.url, "CancelBooking", { bookingId: cancelled })).status).toBe(200);
    expect((await adminCall(server.server.url, "DeclineBooking", { bookingId: declined })).status).toBe(200);

    const lookup = await server.rest("BatchAvailabilityLookup", {
      merchant_id: "m1",
      slot_time: ["s1", "async"].map((service_id) => ({ service_id, start_sec: String(start), duration_sec: "1800" })),
    });
    expect(lookup.json.slot_time_availability.map((a: { available?: boolean }) => a.available ?? false)).toEqual([
      false,
      false,
    ]);
    const updates = (await server.storage.outbox.list({ limit: 1000 }))
      .slice(outboxBefore)
      .flatMap((entry) => (entry.payload.kind === "availability" ? [entry.payload.slot] : []));
    expect(updates).toEqual([
      expect.objectContaining({ serviceId: "s1", startSec: start, spotsTotal: 20, spotsOpen: 0 }),
      expect.objectContaining({ serviceId: "async", startSec: start, spotsTotal: 5, spotsOpen: 0 }),
    ]);
  });

  it("refuses aggregator credentials on AdminService and admin credentials on BookingService, doing nothing", async () => {
    const server = await open();
    const bookingId = await book(server);
    const byAggregator = await adminCall(server.server.url, "CancelBooking", { bookingId }, server.server.authHeader);
    expect(byAggregator.status).toBe(401);
    expect(byAggregator.json.code).toBe("unauthenticated");
    const grpcByAggregator = await adminGrpcCall(
      server.server.port,
      "CancelBooking",
      { booking_id: bookingId },
      server.server.authHeader,
    );
    expect(grpcByAggregator.error?.code).toBe(16);
    const adminHeader = `Basic ${Buffer.from(adminCredential).toString("base64")}`;
    const restByAdmin = await fetch(`${server.server.url}/v3/UpdateBooking`, {
      method: "POST",
      headers: { authorization: adminHeader, "content-type": "application/json" },
      body: JSON.stringify({ booking: { booking_id: bookingId, status: "CANCELED" } }),
    });
    expect(restByAdmin.status).toBe(401);
    const connectByAdmin = await fetch(`${server.server.url}/booking.partner.v3.BookingService/UpdateBooking`, {
      method: "POST",
      headers: { authorization: adminHeader, "content-type": "application/json" },
      body: JSON.stringify({ booking: { bookingId, status: "CANCELED" } }),
    });
    expect(connectByAdmin.status).toBe(401);
    const read = await adminGrpcCall(server.server.port, "GetBooking", { booking_id: bookingId });
    expect(read.response?.booking).toMatchObject({ booking_id: bookingId, status: "CONFIRMED" });
    const audit = await adminCall(server.server.url, "ListAuditEntries", { bookingId });
    expect(audit.json.entries.map((e: { action: string }) => e.action)).toEqual(["booking.created"]);
  });

  it("refuses a change with a stale etag and changes nothing", async () => {
    const server = await open();
    const bookingId = await book(server);
    const read = await adminCall(server.server.url, "GetBooking", { bookingId });
    const staleEtag = read.json.booking.etag as string;
    const moved = await adminCall(server.server.url, "RescheduleBooking", {
      bookingId,
      etag: staleEtag,
      startSec: String(later),
    });
    expect(moved.status).toBe(200);
    expect(moved.json.booking.etag).not.toBe(staleEtag);
    const stale = await adminCall(server.server.url, "CancelBooking", { bookingId, etag: staleEtag, reason: "x" });
    expect(stale.status).toBe(400);
    expect(stale.json.code).toBe("failed_precondition");
    expect(connectReason(stale)).toBe("ETAG_MISMATCH");
    const grpcStale = await adminGrpcCall(server.server.port, "DeclineBooking", {
      booking_id: bookingId,
      etag: staleEtag,
    });
    expect(grpcStale.error?.code).toBe(9);
    const after = await adminCall(server.server.url, "GetBooking", { bookingId });
    expect(after.json.booking).toEqual(moved.json.booking);
    const notifications = await adminCall(server.server.url, "ListNotifications", { bookingId });
    expect(notifications.json.notifications.map((n: { updateMask: string }) => n.updateMask)).toEqual([
      "startTime,duration",
    ]);
  });

  it("writes one audit entry per change, none for a replayed CreateBooking", async () => {
    const server = await open();
    const request = makeCreateBookingRequest({ slot: makeSlot({ start_sec: String(start) }) });
    const created = await server.rest("CreateBooking", request);
    const replayed = await server.rest("CreateBooking", request);
    expect(replayed.text).toBe(created.text);
    const first = created.json.booking.booking_id as string;
    await server.rest("UpdateBooking", { booking: { booking_id: first, status: "CANCELED" } });
    const second = await book(server);
    await adminCall(server.server.url, "RescheduleBooking", { bookingId: second, startSec: String(later) });
    await adminCall(server.server.url, "CancelBooking", { bookingId: second, reason: "closed for a private event" });
    const pendingA = await book(server, { service_id: "async" });
    const pendingB = await book(server, { service_id: "async" });
    await adminCall(server.server.url, "ConfirmBooking", { bookingId: pendingA });
    await adminCall(server.server.url, "DeclineBooking", { bookingId: pendingB, reason: "fully staffed" });
    server.clock.set(start + 600);
    const noShow = await adminCall(server.server.url, "MarkNoShow", { bookingId: pendingA });
    expect(noShow.json.booking.status).toBe("NO_SHOW");

    const audit = await adminCall(server.server.url, "ListAuditEntries", { merchantId: "m1" });
    const rows = audit.json.entries.map((e: Record<string, string>) => [e.action, e.actorKind, e.actor, e.bookingId]);
    expect(rows).toEqual([
      ["booking.created", "aggregator", "partner", first],
      ["booking.cancelled", "aggregator", "partner", first],
      ["booking.created", "aggregator", "partner", second],
      ["booking.rescheduled", "admin", "staff", second],
      ["booking.cancelled", "admin", "staff", second],
      ["booking.created", "aggregator", "partner", pendingA],
      ["booking.created", "aggregator", "partner", pendingB],
      ["booking.confirmed", "admin", "staff", pendingA],
      ["booking.declined", "admin", "staff", pendingB],
      ["booking.no_show", "admin", "staff", pendingA],
    ]);
    const cancel = audit.json.entries[4];
    expect(cancel.reason).toBe("closed for a private event");
    expect(JSON.parse(cancel.beforeJson)).toMatchObject({ status: "CONFIRMED", startSec: later });
    expect(JSON.parse(cancel.afterJson)).toMatchObject({ status: "CANCELED" });
  });

  it("pages stay stable while bookings are added, and a sync token returns only what changed", async () => {
    const server = await open();
    const original = new Set<string>();
    for (let i = 0; i < 5; i += 1) original.add(await book(server, { start_sec: String(i % 2 ? later : start) }));
    const seen: string[] = [];
    let pageToken = "";
    let syncToken = "";
    do {
      const page = await adminCall(server.server.url, "ListBookings", { merchantId: "m1", pageSize: 2, pageToken });
      expect(page.status).toBe(200);
      seen.push(...page.json.bookings.map((b: { bookingId: string }) => b.bookingId));
      pageToken = page.json.nextPageToken ?? "";
      syncToken = page.json.nextSyncToken ?? "";
      // Concurrent inserts before and after the cursor.
      await Promise.all([book(server), book(server, { start_sec: String(later) })]);
    } while (pageToken);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of original) expect(seen).toContain(id);
    expect(syncToken).not.toBe("");

    // Everything booked during the listing counts as changed since it; then a cancel and a new booking.
    const drained = await adminCall(server.server.url, "ListBookings", { merchantId: "m1", syncToken, pageSize: 1000 });
    const [cancelled] = [...original];
    await server.rest("UpdateBooking", { booking: { booking_id: cancelled, status: "CANCELED" } });
    const added = await book(server);
    const changes = await adminCall(server.server.url, "ListBookings", {
      merchantId: "m1",
      syncToken: drained.json.nextSyncToken,
    });
    const changed = changes.json.bookings.map((b: { bookingId: string; status: string }) => [b.bookingId, b.status]);
    expect(changed).toEqual(
      expect.arrayContaining([
        [cancelled, "CANCELED"],
        [added, "CONFIRMED"],
      ]),
    );
    // A PostgreSQL mark may repeat a change it cannot order; SQLite's are exact.
    if (backend === "sqlite") expect(changed).toHaveLength(2);

    server.clock.advance(8 * 24 * 3600);
    const expired = await adminCall(server.server.url, "ListBookings", {
      merchantId: "m1",
      syncToken: changes.json.nextSyncToken,
    });
    expect(expired.json.code).toBe("failed_precondition");
    expect(connectReason(expired)).toBe("SYNC_TOKEN_EXPIRED");
  });
});
