import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { parseServiceAccountKey } from "../../src/notify/notify-auth.js";
import { adminCall, adminCredential } from "../admin/admin-clients.js";
import { hoursFromNow, makeAvailability, makeFeed } from "../booking/feed-builders.js";
import { makeCreateBookingRequest, makeSlot } from "../rpc/request-builders.js";
import { type BookingServerFixture, startBookingServer } from "../support/booking-server.js";
import { eventually } from "../support/eventually.js";
import { createTempDir, type TempDir } from "../support/temp-dir.js";
import { testBackends } from "../support/test-database.js";
import { type FakeAggregator, startFakeAggregator } from "./fake-aggregator.js";

const start = hoursFromNow(48);
const later = start + 3600;

describe.each(testBackends)("real-time updates to the aggregator (%s)", { timeout: 30_000 }, (backend) => {
  let fx: BookingServerFixture | undefined;
  let fake: FakeAggregator | undefined;
  let temp: TempDir | undefined;
  afterEach(async () => {
    await fx?.close();
    await fake?.close();
    temp?.remove();
    fx = fake = temp = undefined;
  });

  async function open(): Promise<{ server: BookingServerFixture; aggregator: FakeAggregator }> {
    fake = await startFakeAggregator("p1");
    temp = createTempDir("rtu-");
    const dir = temp.dir;
    const key = parseServiceAccountKey(readFileSync(fake.writeKey(dir), "utf8"));
    fx = await startBookingServer({
      backend,
      adminCredentials: [adminCredential],
      feed: makeFeed([
        makeAvailability({ start_sec: start, spots_total: 5, spots_open: 5 }),
        makeAvailability({ start_sec: later, spots_total: 5, spots_open: 5 }),
      ]),
      notify: {
        partnerId: "p1",
        key,
        rootUrl: fake.url,
        timeoutMs: 300,
        pollMs: 20,
        leaseMs: 3000,
        backoff: { baseMs: 20, capMs: 100 },
      },
    });
    return { server: fx, aggregator: fake };
  }

  async function book(server: BookingServerFixture): Promise<string> {
    const created = await server.rest(
      "CreateBooking",
      makeCreateBookingRequest({ slot: makeSlot({ start_sec: String(start) }) }),
    );
    return created.json.booking.booking_id as string;
  }

  const notifications = async (server: BookingServerFixture, body: object = {}) =>
    (await adminCall(server.server.url, "ListNotifications", body)).json.notifications as Record<string, string>[];

  it("delivers every merchant-side change once, in order per booking, through 503, 429 + Retry-After and a timeout", async () => {
    const { server, aggregator } = await open();
    aggregator.plan({ status: 503 }, { status: 429, retryAfterSec: 1 }, "hang");
    const a = await book(server);
    const b = await book(server);
    await adminCall(server.server.url, "RescheduleBooking", { bookingId: a, startSec: String(later) });
    await adminCall(server.server.url, "CancelBooking", { bookingId: a, reason: "staff ill" });
    await adminCall(server.server.url, "CancelBooking", { bookingId: b });
    await eventually(async () =>
      (await notifications(server)).every((n) => n.state === "NOTIFICATION_STATE_DELIVERED"),
    );

    expect(aggregator.received.slice(0, 3).map((r) => r.answer)).toEqual([503, 429, "hang"]);
    const bookingUpdates = (id: string) =>
      aggregator
        .accepted()
        .filter((r) => r.path === `/v1alpha/notification/partners/p1/bookings/${id}`)
        .map((r) => [r.updateMask, r.body.status, r.body.startTime]);
    const laterTime = new Date(later * 1000).toISOString().replace(".000Z", "Z");
    expect(bookingUpdates(a)).toEqual([
      ["startTime,duration", "CONFIRMED", laterTime],
      ["status", "CANCELED", laterTime],
    ]);
    expect(bookingUpdates(b)).toEqual([
      ["status", "CANCELED", new Date(start * 1000).toISOString().replace(".000Z", "Z")],
    ]);
    const patched = aggregator.accepted().find((r) => r.method === "PATCH");
    expect(patched?.body).toMatchObject({
      name: expect.stringMatching(/^partners\/p1\/bookings\//),
      merchantId: "m1",
      serviceId: "s1",
      duration: "1800s",
    });
    const all = await notifications(server);
    expect(aggregator.accepted()).toHaveLength(all.length);
    const availability = aggregator.accepted().filter((r) => r.path.endsWith("/availability:replace"));
    expect(availability.length).toBe(all.filter((n) => n.kind === "availability").length);
    expect(availability.at(-1)?.body).toMatchObject({
      extendedServiceAvailability: [{ merchantId: "m1", serviceId: "s1", availability: [{ spotsTotal: "5" }] }],
    });
  });

  it("does not retry a 400: the update shows as failed until RetryNotification queues it again", async () => {
    const { server, aggregator } = await open();
    const a = await book(server);
    aggregator.plan({ status: 400 });
    await adminCall(server.server.url, "CancelBooking", { bookingId: a });
    await eventually(
      async () => (await notifications(server, { bookingId: a }))[0]?.state !== "NOTIFICATION_STATE_PENDING",
    );
    const [failed] = await notifications(server, { bookingId: a });
    expect(failed).toMatchObject({
      state: "NOTIFICATION_STATE_FAILED",
      attempts: 1,
      lastError: expect.stringContaining("400"),
    });
    const listed = await adminCall(server.server.url, "ListNotifications", { states: ["NOTIFICATION_STATE_FAILED"] });
    expect(listed.json.notifications).toHaveLength(1);
    const bookingPatches = () => aggregator.received.filter((r) => r.method === "PATCH");
    expect(bookingPatches()).toHaveLength(1);

    const retried = await adminCall(server.server.url, "RetryNotification", { notificationId: failed?.notificationId });
    expect(retried.json.notification.state).toBe("NOTIFICATION_STATE_PENDING");
    await eventually(
      async () => (await notifications(server, { bookingId: a }))[0]?.state === "NOTIFICATION_STATE_DELIVERED",
    );
    expect(bookingPatches().map((r) => r.answer)).toEqual([400, 200]);
  });

  it("sends a retried stale update with the booking's current state, never undoing a newer delivered one", async () => {
    const { server, aggregator } = await open();
    const a = await book(server);
    aggregator.plan({ status: 400 });
    await adminCall(server.server.url, "RescheduleBooking", { bookingId: a, startSec: String(later) });
    await eventually(
      async () => (await notifications(server, { bookingId: a }))[0]?.state === "NOTIFICATION_STATE_FAILED",
    );
    await adminCall(server.server.url, "RescheduleBooking", { bookingId: a, startSec: String(start) });
    await eventually(
      async () => (await notifications(server, { bookingId: a }))[1]?.state === "NOTIFICATION_STATE_DELIVERED",
    );
    const [stale] = await notifications(server, { bookingId: a });
    const retried = await adminCall(server.server.url, "RetryNotification", { notificationId: stale?.notificationId });
    expect(retried.json.notification).toMatchObject({
      state: "NOTIFICATION_STATE_PENDING",
      updateMask: "startTime,duration",
    });
    await eventually(async () =>
      (await notifications(server, { bookingId: a })).every((n) => n.state === "NOTIFICATION_STATE_DELIVERED"),
    );

    const iso = (sec: number) => new Date(sec * 1000).toISOString().replace(".000Z", "Z");
    const patches = aggregator.received
      .filter((r) => r.path === `/v1alpha/notification/partners/p1/bookings/${a}`)
      .map((r) => [r.answer, r.updateMask, r.body.startTime]);
    expect(patches).toEqual([
      [400, "startTime,duration", iso(later)],
      [200, "startTime,duration", iso(start)],
      [200, "startTime,duration", iso(start)],
    ]);
  });

  it("sends a retried stale availability update with the slot's open spots as they are now", async () => {
    const { server, aggregator } = await open();
    aggregator.plan({ status: 400 });
    const added = await adminCall(server.server.url, "AddBlock", {
      block: { merchantId: "m1", startSec: String(start), endSec: String(start + 1800) },
    });
    const failedOnce = async () => (await notifications(server)).some((n) => n.state === "NOTIFICATION_STATE_FAILED");
    await eventually(failedOnce);
    await adminCall(server.server.url, "RemoveBlock", { blockId: added.json.block.blockId });
    await eventually(async () => (await notifications(server))[1]?.state === "NOTIFICATION_STATE_DELIVERED");
    const [stale] = await notifications(server);
    await adminCall(server.server.url, "RetryNotification", { notificationId: stale?.notificationId });
    await eventually(async () =>
      (await notifications(server)).every((n) => n.state === "NOTIFICATION_STATE_DELIVERED"),
    );
    const openSpots = aggregator.received
      .filter((r) => r.path.endsWith("/availability:replace"))
      .map((r) => {
        const [service] = r.body.extendedServiceAvailability as { availability: { spotsOpen: string }[] }[];
        return [r.answer, service?.availability[0]?.spotsOpen];
      });
    expect(openSpots).toEqual([
      [400, "0"],
      [200, "5"],
      [200, "5"],
    ]);
  });
});
