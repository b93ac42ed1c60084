import { afterEach, describe, expect, it } from "vitest";
import { hoursFromNow, makeAvailability, makeFeed } from "../booking/feed-builders.js";
import { unreachableCalendarCredentials } from "../calendar/calendar-fixtures.js";
import { makeCreateBookingRequest, makeSlot } from "../rpc/request-builders.js";
import { type BookingServerFixture, startBookingServer } from "../support/booking-server.js";
import { testBackends } from "../support/test-database.js";
import { adminCall, adminCredential, adminGrpcCall, connectReason } from "./admin-clients.js";

const start = hoursFromNow(48);
const later = start + 3600;
const third = start + 7200;

/** The Connect JSON key of a slot of merchant m1, service s1, 30 minutes. */
const slotKey = (startSec: number) => ({
  merchantId: "m1",
  serviceId: "s1",
  startSec: String(startSec),
  durationSec: "1800",
});

describe.each(testBackends)("AdminService slots and blocks (%s)", (backend) => {
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
        makeAvailability({ start_sec: start, spots_total: 4, spots_open: 4 }),
        makeAvailability({ start_sec: later, spots_total: 4, spots_open: 4 }),
      ]),
    });
    return fx;
  }

  const call = (method: string, body: object) => {
    if (!fx) throw new Error("no server");
    return adminCall(fx.server.url, method, body);
  };

  async function book(server: BookingServerFixture, startSec: number): Promise<string> {
    const created = await server.rest(
      "CreateBooking",
      makeCreateBookingRequest({ slot: makeSlot({ start_sec: String(startSec) }) }),
    );
    expect(created.status).toBe(200);
    return created.json.booking.booking_id as string;
  }

  async function available(server: BookingServerFixture, startSec: number): Promise<boolean> {
    const lookup = await server.rest("BatchAvailabilityLookup", {
      merchant_id: "m1",
      slot_time: [{ service_id: "s1", start_sec: String(startSec), duration_sec: "1800" }],
    });
    expect(lookup.status).toBe(200);
    return lookup.json.slot_time_availability[0].available === true;
  }

  async function listSlots(): Promise<Record<string, unknown>[]> {
    const answer = await call("ListSlots", { merchantId: "m1" });
    expect(answer.status).toBe(200);
    return answer.json.slots ?? [];
  }

  async function actions(): Promise<string[]> {
    const audit = await call("ListAuditEntries", { merchantId: "m1" });
    return (audit.json.entries ?? []).map((e: { action: string }) => e.action);
  }

  async function availabilityUpdates(): Promise<object[]> {
    const entries = await fx?.storage.outbox.list({ limit: 1000 });
    return (entries ?? []).flatMap((entry) => (entry.payload.kind === "availability" ? [entry.payload.slot] : []));
  }

  it("lists slots with etags one page at a time", async () => {
    await open();
    const first = await call("ListSlots", { merchantId: "m1", pageSize: 1 });
    expect(first.json.slots).toEqual([
      { ...slotKey(start), spotsTotal: 4, etag: expect.stringMatching(/^"s[\w-]{16}"$/) },
    ]);
    expect(first.json.nextPageToken).not.toBe("");
    const second = await call("ListSlots", { merchantId: "m1", pageSize: 1, pageToken: first.json.nextPageToken });
    expect(second.json.slots.map((s: { startSec: string }) => s.startSec)).toEqual([String(later)]);
    const last = await call("ListSlots", { merchantId: "m1", pageSize: 1, pageToken: second.json.nextPageToken });
    expect(last.json).toEqual({});
    const otherFilter = await call("ListSlots", {
      merchantId: "m1",
      serviceId: "s2",
      pageToken: first.json.nextPageToken,
    });
    expect(otherFilter.status).toBe(400);
  });

  it("refuses a slot change with a stale etag and changes nothing", async () => {
    const server = await open();
    const [read] = await listSlots();
    const staleEtag = read?.etag as string;
    await book(server, start);
    const [booked] = await listSlots();
    expect(booked).toMatchObject({ spotsBooked: 1 });
    expect(booked?.etag).not.toBe(staleEtag);
    const updatesBefore = await availabilityUpdates();

    const upsert = await call("UpsertSlots", { slots: [{ ...slotKey(start), spotsTotal: 9, etag: staleEtag }] });
    expect(upsert.status).toBe(400);
    expect(upsert.json.code).toBe("failed_precondition");
    expect(connectReason(upsert)).toBe("ETAG_MISMATCH");
    const deleted = await adminGrpcCall(server.server.port, "DeleteSlots", {
      slots: [{ merchant_id: "m1", service_id: "s1", start_sec: String(start), duration_sec: "1800", etag: staleEtag }],
    });
    expect(deleted.error?.code).toBe(9);
    // A stale etag in the second slot refuses the first slot's change too: one call, one transaction.
    const mixed = await call("UpsertSlots", {
      slots: [
        { ...slotKey(later), spotsTotal: 7 },
        { ...slotKey(start), spotsTotal: 9, etag: staleEtag },
      ],
    });
    expect(connectReason(mixed)).toBe("ETAG_MISMATCH");

    expect(await listSlots()).toEqual([booked, expect.objectContaining({ startSec: String(later), spotsTotal: 4 })]);
    expect(await actions()).toEqual(["booking.created"]);
    expect(await availabilityUpdates()).toEqual(updatesBefore);

    const fresh = await call("UpsertSlots", { slots: [{ ...slotKey(start), spotsTotal: 9, etag: booked?.etag }] });
    expect(fresh.status).toBe(200);
    expect(fresh.json.slots[0]).toMatchObject({ spotsTotal: 9, spotsBooked: 1 });
    expect(fresh.json.slots[0].etag).not.toBe(booked?.etag);
  });

  it("writes an audit entry and an availability outbox entry with every slot change", async () => {
    const server = await open();
    const created = await adminGrpcCall(server.server.port, "UpsertSlots", {
      slots: [{ merchant_id: "m1", service_id: "s1", start_sec: String(third), duration_sec: "1800", spots_total: 3 }],
    });
    expect(created.error).toBeUndefined();
    const removed = await call("DeleteSlots", { slots: [slotKey(later)] });
    expect(removed.json).toEqual({ deleted: 1 });

    const audit = await call("ListAuditEntries", { merchantId: "m1" });
    expect(
      audit.json.entries.map((e: Record<string, string>) => [
        e.action,
        e.actorKind,
        e.actor,
        e.beforeJson === undefined,
      ]),
    ).toEqual([
      ["slot.created", "admin", "staff", true],
      ["slot.deleted", "admin", "staff", false],
    ]);
    expect(JSON.parse(audit.json.entries[0].afterJson)).toMatchObject({ startSec: third, spotsTotal: 3 });

    const notifications = await call("ListNotifications", {});
    expect(notifications.json.notifications.map((n: Record<string, string>) => [n.kind, n.serviceId])).toEqual([
      ["availability", "s1"],
      ["availability", "s1"],
    ]);
    expect(await availabilityUpdates()).toEqual([
      expect.objectContaining({ startSec: third, spotsTotal: 3, spotsOpen: 3 }),
      expect.objectContaining({ startSec: later, spotsOpen: 0 }),
    ]);
    expect(await available(server, third)).toBe(true);
    expect(await available(server, later)).toBe(false);
  });

  it("keeps booked slots for their bookings when ReplaceServiceAvailability drops them", async () => {
    const server = await open();
    const bookingId = await book(server, start);
    const replaced = await call("ReplaceServiceAvailability", {
      merchantId: "m1",
      serviceId: "s1",
      startSecMin: String(start),
      slots: [{ startSec: String(third), durationSec: "1800", spotsTotal: 2 }],
    });
    expect(replaced.status).toBe(200);
    expect(replaced.json).toEqual({ inserted: 1, withdrawn: 1, deleted: 1 });

    const slots = await listSlots();
    expect(slots.map((s) => [s.startSec, s.spotsBooked ?? 0, s.withdrawn ?? false])).toEqual([
      [String(start), 1, true],
      [String(third), 0, false],
    ]);
    const booking = await call("GetBooking", { bookingId });
    expect(booking.json.booking).toMatchObject({ status: "CONFIRMED", startSec: String(start) });
    expect(await available(server, start)).toBe(false);
    expect(await available(server, third)).toBe(true);
    expect(await actions()).toEqual(["booking.created", "slot.created", "slot.withdrawn", "slot.deleted"]);
    expect(await availabilityUpdates()).toEqual([
      expect.objectContaining({ startSec: third, spotsOpen: 2 }),
      expect.objectContaining({ startSec: start, spotsOpen: 0 }),
      expect.objectContaining({ startSec: later, spotsOpen: 0 }),
    ]);
    // The booking still holds its slot: the merchant can cancel it as before.
    const cancelled = await call("CancelBooking", { bookingId, reason: "moved online" });
    expect(cancelled.json.booking.status).toBe("CANCELED");
  });

  it("makes a blocked slot unavailable to BatchAvailabilityLookup and audits the block", async () => {
    const server = await open();
    expect(await available(server, start)).toBe(true);
    const added = await call("AddBlock", {
      block: { merchantId: "m1", startSec: String(start), endSec: String(start + 1800), note: "staff training" },
    });
    expect(added.status).toBe(200);
    const blockId = added.json.block.blockId as string;
    expect(blockId).toMatch(/^blk_/);
    expect(await available(server, start)).toBe(false);
    expect(await available(server, later)).toBe(true);

    const audit = await call("ListAuditEntries", { merchantId: "m1" });
    expect(audit.json.entries).toEqual([
      expect.objectContaining({ action: "block.added", actorKind: "admin", actor: "staff", reason: "staff training" }),
    ]);
    expect(JSON.parse(audit.json.entries[0].afterJson)).toMatchObject({ blockId, startSec: start });
    expect(await availabilityUpdates()).toEqual([expect.objectContaining({ startSec: start, spotsOpen: 0 })]);
    const listed = await adminGrpcCall(server.server.port, "ListBlocks", { merchant_id: "m1" });
    expect(listed.response?.blocks).toEqual([expect.objectContaining({ block_id: blockId, note: "staff training" })]);

    const removed = await call("RemoveBlock", { blockId });
    expect(removed.status).toBe(200);
    expect(await available(server, start)).toBe(true);
    expect(await actions()).toEqual(["block.added", "block.removed"]);
    expect((await availabilityUpdates()).at(-1)).toMatchObject({ startSec: start, spotsOpen: 4 });
    const again = await call("RemoveBlock", { blockId });
    expect(again.status).toBe(404);
    expect(connectReason(again)).toBe("BLOCK_NOT_FOUND");
  });

  it("refuses a block without a merchant or with its end before its start", async () => {
    await open();
    const refused = await call("AddBlock", { block: { startSec: String(later), endSec: String(start) } });
    expect(refused.status).toBe(400);
    const fields = refused.json.details
      .find((d: { type: string }) => d.type === "google.rpc.BadRequest")
      .debug.fieldViolations.map((v: { field: string }) => v.field);
    expect(fields).toEqual(["block.merchant_id", "block.end_sec"]);
    expect(await actions()).toEqual([]);
  });

  it("lists calendar links with their sync status, one page at a time", async () => {
    const server = await open();
    const credentials = unreachableCalendarCredentials("1//refresh-do-not-log");
    for (const calendarId of ["front@example.com", "back@example.com"]) {
      await server.storage.calendar.saveLink(
        { merchantId: "m1", resourceKind: "merchant", resourceId: "", calendarId, credentials },
        server.clock.nowSec(),
      );
    }
    const first = await call("ListCalendarLinks", { merchantId: "m1", pageSize: 1 });
    expect(first.json.links).toEqual([
      expect.objectContaining({ merchantId: "m1", calendarId: "front@example.com", state: "not synced yet" }),
    ]);
    expect(first.text).not.toContain("refresh");
    const second = await call("ListCalendarLinks", {
      merchantId: "m1",
      pageSize: 1,
      pageToken: first.json.nextPageToken,
    });
    expect(second.json.links.map((l: { calendarId: string }) => l.calendarId)).toEqual(["back@example.com"]);
    expect(second.json.nextPageToken).toBeUndefined();
    const other = await call("ListCalendarLinks", { merchantId: "m2" });
    expect(other.json).toEqual({});
  });
});
