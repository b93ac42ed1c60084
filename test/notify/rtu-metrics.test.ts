import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { parseServiceAccountKey } from "../../src/notify/notify-auth.js";
import { adminCall, adminCredential } from "../admin/admin-clients.js";
import { hoursFromNow, makeAvailability, makeFeed } from "../booking/feed-builders.js";
import { makeCreateBookingRequest, makeSlot } from "../rpc/request-builders.js";
import { type BookingServerFixture, startBookingServer } from "../support/booking-server.js";
import { eventually } from "../support/eventually.js";
import { sample } from "../support/prometheus-sample.js";
import { createTempDir, type TempDir } from "../support/temp-dir.js";
import { testBackends } from "../support/test-database.js";
import { basicAuth } from "../support/test-server.js";
import { type FakeAggregator, startFakeAggregator } from "./fake-aggregator.js";

const start = hoursFromNow(48);
const scraper = "prometheus:scrape-Pa55";

describe.each(testBackends)("real-time update metrics on /metrics (%s)", { timeout: 30_000 }, (backend) => {
  let fx: BookingServerFixture | undefined;
  let fake: FakeAggregator | undefined;
  let temp: TempDir | undefined;
  afterEach(async () => {
    await fx?.close();
    await fake?.close();
    temp?.remove();
    fx = fake = temp = undefined;
  });

  it("counts a delivery and a refused update, and shows the refused one in the failed queue depth", async () => {
    fake = await startFakeAggregator("p1");
    temp = createTempDir("rtu-metrics-");
    const dir = temp.dir;
    const key = parseServiceAccountKey(readFileSync(fake.writeKey(dir), "utf8"));
    fx = await startBookingServer({
      backend,
      adminCredentials: [adminCredential],
      metrics: { credentials: [scraper] },
      feed: makeFeed([makeAvailability({ start_sec: start, spots_total: 5, spots_open: 5 })]),
      notify: { partnerId: "p1", key, rootUrl: fake.url, timeoutMs: 300, pollMs: 20, leaseMs: 3000 },
    });
    const server = fx;
    const scrape = async () => {
      const answer = await fetch(`${server.server.url}/metrics`, { headers: { authorization: basicAuth(scraper) } });
      expect(answer.status).toBe(200);
      return answer.text();
    };
    const created = await server.rest(
      "CreateBooking",
      makeCreateBookingRequest({ slot: makeSlot({ start_sec: String(start) }) }),
    );
    const bookingId = created.json.booking.booking_id as string;
    // The cancel's booking update is refused (400, not retried); the slot's availability update is delivered.
    fake.plan({ status: 400 });
    await adminCall(server.server.url, "CancelBooking", { bookingId });
    await eventually(async () => (await server.storage.outbox.depth()).pending === 0);

    const text = await scrape();
    expect(sample(text, "booking_server_rtu_attempts_total", { kind: "booking", outcome: "failed" })).toBe(1);
    expect(sample(text, "booking_server_rtu_attempts_total", { kind: "availability", outcome: "delivered" })).toBe(1);
    expect(sample(text, "booking_server_rtu_attempts_total", { kind: "booking", outcome: "delivered" })).toBe(0);
    expect(sample(text, "booking_server_rtu_queue_depth", { state: "pending" })).toBe(0);
    expect(sample(text, "booking_server_rtu_queue_depth", { state: "failed" })).toBe(1);

    const [failed] = (await adminCall(server.server.url, "ListNotifications", { bookingId })).json.notifications;
    await adminCall(server.server.url, "RetryNotification", { notificationId: failed.notificationId });
    await eventually(async () => {
      const depth = await server.storage.outbox.depth();
      return depth.pending === 0 && depth.failed === 0;
    });
    const after = await scrape();
    expect(sample(after, "booking_server_rtu_attempts_total", { kind: "booking", outcome: "delivered" })).toBe(1);
    expect(sample(after, "booking_server_rtu_queue_depth", { state: "failed" })).toBe(0);
  });
});
