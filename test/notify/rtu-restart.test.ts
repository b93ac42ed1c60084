import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/booking/clock.js";
import { importFeed } from "../../src/feed/import-feed.js";
import { openStorage } from "../../src/store/open-storage.js";
import { adminCall, adminCredential } from "../admin/admin-clients.js";
import { hoursFromNow, makeAvailability, makeFeed, makePolicies } from "../booking/feed-builders.js";
import { killAllChildServers, spawnChildServer } from "../rpc/child-server.js";
import { makeCreateBookingRequest, makeSlot } from "../rpc/request-builders.js";
import { postJson } from "../support/booking-server.js";
import { eventually } from "../support/eventually.js";
import { createTempDir, type TempDir } from "../support/temp-dir.js";
import { createTestDatabase, type TestDatabase, testBackends } from "../support/test-database.js";
import { type FakeAggregator, startFakeAggregator } from "./fake-aggregator.js";

const start = hoursFromNow(48);
const later = start + 3600;

describe.each(testBackends)("real-time updates across a kill -9 of the server (%s)", { timeout: 60_000 }, (backend) => {
  let fake: FakeAggregator | undefined;
  let database: TestDatabase | undefined;
  let temp: TempDir | undefined;
  afterEach(async () => {
    await killAllChildServers();
    await fake?.close();
    await database?.remove();
    temp?.remove();
    fake = database = temp = undefined;
  });

  it("sends every merchant-side change exactly once, in order, after a kill -9 in the middle of retries", async () => {
    fake = await startFakeAggregator("p1");
    database = await createTestDatabase(backend);
    temp = createTempDir("rtu-restart-");
    const dir = temp.dir;
    const seed = await openStorage(database.url);
    const availability = [start, later].map((s) => makeAvailability({ start_sec: s, spots_total: 5, spots_open: 5 }));
    await importFeed(
      seed.inventory,
      {
        feedFile: "feed.json",
        feedText: JSON.stringify(makeFeed(availability)),
        policiesFile: "policies.json",
        policiesText: JSON.stringify(makePolicies()),
      },
      { nowSec: systemClock.nowSec() },
    );
    await seed.close();
    const adminFile = join(dir, "admin.txt");
    writeFileSync(adminFile, `${adminCredential}\n`);
    const args = [
      ...["--admin-credentials", adminFile, "--partner-id", "p1", "--notify-credentials", fake.writeKey(dir)],
      ...["--notify-root-url", fake.url, "--notify-poll-ms", "50", "--notify-backoff-ms", "50,200"],
      ...["--notify-timeout-ms", "2000", "--notify-lease-ms", "4000"],
    ];

    fake.setDown(true);
    const first = await spawnChildServer(database.url, args);
    const book = async () =>
      (
        await postJson(
          first.url,
          first.authHeader,
          "CreateBooking",
          makeCreateBookingRequest({ slot: makeSlot({ start_sec: String(start) }) }),
        )
      ).json.booking.booking_id as string;
    const a = await book();
    const b = await book();
    await adminCall(first.url, "RescheduleBooking", { bookingId: a, startSec: String(later) });
    await adminCall(first.url, "CancelBooking", { bookingId: b });
    await adminCall(first.url, "CancelBooking", { bookingId: a });
    const aggregator = fake;
    await eventually(async () => aggregator.received.length >= 6);
    first.child.kill("SIGKILL");
    await first.exited;

    fake.setDown(false);
    const second = await spawnChildServer(database.url, args);
    await eventually(async () => {
      const listed = await adminCall(second.url, "ListNotifications", {});
      const states = (listed.json.notifications as { state: string }[]).map((n) => n.state);
      return states.length > 0 && states.every((state) => state === "NOTIFICATION_STATE_DELIVERED");
    });
    const updates = (id: string) =>
      aggregator
        .accepted()
        .filter((r) => r.path.endsWith(`/bookings/${id}`))
        .map((r) => [r.updateMask, r.body.status]);
    expect(updates(a)).toEqual([
      ["startTime,duration", "CONFIRMED"],
      ["status", "CANCELED"],
    ]);
    expect(updates(b)).toEqual([["status", "CANCELED"]]);
    expect(aggregator.received.filter((r) => r.answer === 503).length).toBeGreaterThanOrEqual(6);
  });
});
