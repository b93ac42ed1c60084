import { afterEach, describe, expect, it } from "vitest";
import { hoursFromNow, makeAvailability, makeFeed } from "../booking/feed-builders.js";
import { type BookingServerFixture, startBookingServer } from "../support/booking-server.js";
import { testBackends } from "../support/test-database.js";
import { adminCall, adminCredential } from "./admin-clients.js";

const start = hoursFromNow(48);

describe.each(testBackends)("AdminService notifications of one merchant (%s)", (backend) => {
  let fx: BookingServerFixture | undefined;
  afterEach(async () => {
    await fx?.close();
    fx = undefined;
  });

  async function open(): Promise<BookingServerFixture> {
    fx = await startBookingServer({
      backend,
      adminCredentials: [adminCredential],
      feed: makeFeed([makeAvailability({ start_sec: start, spots_total: 4, spots_open: 4 })]),
    });
    return fx;
  }

  /** Creates a slot of the merchant one hour after `start` times `hour`; it queues one availability update. */
  async function createSlot(server: BookingServerFixture, merchantId: string, hour: number): Promise<void> {
    const created = await adminCall(server.server.url, "UpsertSlots", {
      slots: [
        { merchantId, serviceId: "s1", startSec: String(start + hour * 3600), durationSec: "1800", spotsTotal: 2 },
      ],
    });
    expect(created.status).toBe(200);
  }

  /** One page of ListNotifications: the merchant and start hour of each update, and the next token. */
  async function page(server: BookingServerFixture, body: object): Promise<{ items: string[]; next: string }> {
    const answer = await adminCall(server.server.url, "ListNotifications", { pageSize: 2, ...body });
    expect(answer.status).toBe(200);
    const notifications = (answer.json.notifications ?? []) as { merchantId: string; notificationId: string }[];
    const entries = await Promise.all(notifications.map((n) => server.storage.outbox.get(Number(n.notificationId))));
    const items = entries.map((entry, index) => {
      const payload = entry?.payload;
      const hour = payload?.kind === "availability" ? (payload.slot.startSec - start) / 3600 : -1;
      return `${notifications[index]?.merchantId}@${hour}`;
    });
    return { items, next: answer.json.nextPageToken ?? "" };
  }

  it("lists one merchant's updates page by page, oldest or newest first, with updates written between pages", async () => {
    const server = await open();
    for (const [merchantId, hour] of [
      ["m1", 1],
      ["m2", 2],
      ["m1", 3],
      ["m2", 4],
      ["m1", 5],
    ] as const) {
      await createSlot(server, merchantId, hour);
    }

    const first = await page(server, { merchantId: "m1" });
    expect(first.items).toEqual(["m1@1", "m1@3"]);
    expect(first.next).not.toBe("");
    // Written after the first page was read: the next page continues with it, skipping and repeating none.
    await createSlot(server, "m1", 6);
    await createSlot(server, "m2", 7);
    const second = await page(server, { merchantId: "m1", pageToken: first.next });
    expect(second.items).toEqual(["m1@5", "m1@6"]);
    const third = await page(server, { merchantId: "m1", pageToken: second.next });
    expect(third).toEqual({ items: [], next: "" });

    const newest = await page(server, { merchantId: "m1", newestFirst: true });
    expect(newest.items).toEqual(["m1@6", "m1@5"]);
    const older = await page(server, { merchantId: "m1", newestFirst: true, pageToken: newest.next });
    expect(older.items).toEqual(["m1@3", "m1@1"]);
    expect((await page(server, { merchantId: "m1", newestFirst: true, pageToken: older.next })).items).toEqual([]);

    expect((await page(server, { merchantId: "m2", pageSize: 10 })).items).toEqual(["m2@2", "m2@4", "m2@7"]);
    expect(
      (await page(server, { merchantId: "m2", states: ["NOTIFICATION_STATE_FAILED"], pageSize: 10 })).items,
    ).toEqual([]);
    expect((await page(server, { merchantId: "nobody" })).items).toEqual([]);
    expect((await page(server, { pageSize: 10 })).items).toHaveLength(7);
  });
});
