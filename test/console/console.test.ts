import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDateOf, timeLabel } from "../../console/src/time.js";
import { parseCalendarCredentials } from "../../src/calendar/calendar-credentials.js";
import { postJsonTo } from "../support/booking-server.js";
import { basicAuth } from "../support/test-server.js";
import {
  type ConsoleFixture,
  consolePassword,
  consoleUser,
  merchantTimeZone,
  startConsoleFixture,
} from "./console-fixture.js";

describe("merchant console in Chromium", () => {
  let fx: ConsoleFixture;
  beforeAll(async () => {
    fx = await startConsoleFixture();
  }, 60_000);
  afterAll(async () => {
    await fx?.close();
  });

  const day = () => localDateOf(fx.starts.first, merchantTimeZone);
  const openWeek = (page: Page) => page.goto(`${fx.server.url}/console/#/bookings?view=week&date=${day()}`);
  const bookingStatus = async (bookingId: string) =>
    (await fx.rest("GetBookingStatus", { booking_id: bookingId })).json.booking_status as string;

  it("refuses a wrong password with a clear message, then signs in with the admin credential", async () => {
    const page = await fx.newPage();
    await fx.signIn(page, "not-the-password");
    await page.getByRole("alert").getByText("Wrong user name or password").waitFor();
    await fx.screenshot(page, "sign-in-refused");
    expect(await page.getByRole("navigation", { name: "Pages" }).count()).toBe(0);

    await page.getByLabel("Password").fill("c0nsole-Pa55");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: /^Bookings/ }).waitFor();
    expect(await page.getByText(`Times in ${merchantTimeZone}`).isVisible()).toBe(true);
    await fx.screenshot(page, "bookings-day");
  }, 60_000);

  it("shows a booking made over REST without a reload; a cancel from the page reaches the aggregator and the outbox", async () => {
    const page = await fx.newPage();
    await fx.signIn(page);
    await page.getByRole("heading", { name: /^Bookings/ }).waitFor();
    await openWeek(page);
    await page.getByRole("heading", { name: /^Bookings — Week of/ }).waitFor();
    await page.getByText("No bookings.").first().waitFor();

    const bookingId = await fx.book(fx.starts.first, { given_name: "Ada", family_name: "Lovelace" });
    const row = page.locator(`tr[data-booking-id="${bookingId}"]`);
    await row.waitFor();
    // Shown in the merchant's time zone, not the browser's (America/New_York).
    expect(await row.textContent()).toContain(timeLabel(fx.starts.first, merchantTimeZone));
    expect(await row.textContent()).toContain("Ada Lovelace");
    await fx.screenshot(page, "bookings-week");

    await page.getByLabel("Booking id or customer name").fill("lovelace");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/q=lovelace/);
    await row.waitFor();

    await row.getByRole("link").click();
    await page.getByRole("heading", { name: `Booking ${bookingId}` }).waitFor();
    await page.getByText("booking.created").waitFor();
    await fx.screenshot(page, "booking-detail");
    await page.getByRole("button", { name: "Cancel booking…" }).click();
    await page.getByLabel("Reason for cancelling").fill("stylist is ill");
    await page.getByRole("button", { name: "Cancel this booking" }).click();
    await page.getByText("Cancelled.").waitFor();
    await page.getByText("booking.cancelled").waitFor();
    expect(await bookingStatus(bookingId)).toBe("CANCELED");

    await page.getByRole("link", { name: "Updates sent" }).click();
    const update = page.locator(`tr[data-booking-id="${bookingId}"]`);
    await update.waitFor();
    expect(await update.textContent()).toContain("Booking (status)");
    expect(await update.textContent()).toContain("Waiting to be sent");
    await fx.screenshot(page, "outbox");
  }, 60_000);

  it("confirms a booking waiting for the merchant from the queue", async () => {
    const bookingId = await fx.book(fx.starts.pending, { given_name: "Grace", family_name: "Hopper" }, "consultation");
    expect(await bookingStatus(bookingId)).toBe("PENDING_MERCHANT_CONFIRMATION");
    const page = await fx.newPage({ width: 1024, height: 768 });
    await fx.signIn(page);
    await page.getByRole("link", { name: "To confirm" }).click();
    const confirm = page.getByRole("button", { name: `Confirm booking ${bookingId} of Grace Hopper` });
    await confirm.waitFor();
    await fx.screenshot(page, "pending");
    await confirm.click();
    await page.getByText(`Confirmed booking ${bookingId}.`).waitFor();
    await page.getByText("Nothing is waiting for a decision.").waitFor();
    expect(await bookingStatus(bookingId)).toBe("CONFIRMED");
  }, 60_000);

  it("blocks an hour picked on the week grid, so BatchAvailabilityLookup answers the slot unavailable", async () => {
    const lookup = async () =>
      (
        await fx.rest("BatchAvailabilityLookup", {
          merchant_id: "m1",
          slot_time: [
            {
              service_id: "s1",
              start_sec: String(fx.starts.second),
              duration_sec: "3600",
              resource_ids: { staff_id: "alice" },
            },
          ],
        })
      ).json.slot_time_availability[0].available === true;
    expect(await lookup()).toBe(true);

    const page = await fx.newPage();
    await fx.signIn(page);
    await page.getByRole("link", { name: "Blocked time" }).click();
    await page.goto(`${fx.server.url}/console/#/blocks?date=${day()}`);
    const hour = timeLabel(fx.starts.second, merchantTimeZone);
    const cell = page.locator(`button[data-day="${day()}"][data-hour="${Number(hour.slice(0, 2))}"]`);
    await cell.click();
    expect(await page.getByLabel("From").inputValue()).toBe(hour);
    await page.getByLabel("Note").fill("team training");
    await page.getByRole("button", { name: "Add block" }).click();
    await page.getByText(/^Blocked \w+day, /).waitFor();
    await page.getByRole("button", { name: /Remove the block of .*team training/ }).waitFor();
    expect(await cell.getAttribute("aria-label")).toContain("blocked: team training");
    await fx.screenshot(page, "blocks");
    expect(await lookup()).toBe(false);
  }, 60_000);

  it("tells the second of two pages editing one booking that it changed, and shows the fresh state", async () => {
    const bookingId = await fx.book(fx.starts.first, { given_name: "Alan", family_name: "Turing" });
    const [first, second] = [await fx.newPage(), await fx.newPage({ width: 820, height: 1180 })];
    for (const page of [first, second]) {
      await fx.signIn(page);
      await page.getByRole("heading", { name: /^Bookings/ }).waitFor();
      await page.goto(`${fx.server.url}/console/#/booking/${bookingId}`);
      await page.getByRole("button", { name: "Cancel booking…" }).waitFor();
    }

    await first.getByRole("button", { name: "Reschedule…" }).click();
    const later = `${timeLabel(fx.starts.later, merchantTimeZone)}–${timeLabel(fx.starts.later + 3600, merchantTimeZone)}`;
    await first.getByLabel(new RegExp(`^${later}`)).check();
    await first.getByRole("button", { name: "Move booking" }).click();
    await first.getByText("Rescheduled.").waitFor();

    await second.getByRole("button", { name: "Cancel booking…" }).click();
    await second.getByLabel("Reason for cancelling").fill("double-booked");
    await second.getByRole("button", { name: "Cancel this booking" }).click();
    await second.getByRole("alert").getByText("Someone else changed this booking").waitFor();
    await second.getByText(later).waitFor();
    await fx.screenshot(second, "stale-etag");
    expect(await bookingStatus(bookingId)).toBe("CONFIRMED");
  }, 60_000);

  it("lists calendar links (none yet) and serves only the built files with a strict policy", async () => {
    const page = await fx.newPage();
    await fx.signIn(page);
    await page.getByRole("link", { name: "Calendars" }).click();
    await page.getByText("No calendar is linked to this merchant.").waitFor();
    await fx.screenshot(page, "calendars");

    const index = await fetch(`${fx.server.url}/console/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(index.headers.get("content-security-policy")).toContain("default-src 'none'");
    for (const path of [
      "/console/../package.json",
      "/console/%2e%2e/package.json",
      "/console/nope.js",
      "/console/static",
    ]) {
      expect((await fetch(`${fx.server.url}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${fx.server.url}/console`, { redirect: "manual" })).status).toBe(308);
  }, 60_000);

  it("shows the merchant's updates newest first, one page at a time", async () => {
    // 51 new slots of another service, a week later: 51 availability updates, one more than a page.
    const firstStart = fx.starts.later + 7 * 86_400;
    const created = await postJsonTo(
      `${fx.server.url}/booking.admin.v1.AdminService/UpsertSlots`,
      basicAuth(`${consoleUser}:${consolePassword}`),
      {
        slots: Array.from({ length: 51 }, (_, i) => ({
          merchantId: "m1",
          serviceId: "colour",
          startSec: String(firstStart + i * 1800),
          durationSec: "1800",
          spotsTotal: 1,
        })),
      },
    );
    expect(created.status).toBe(200);
    const page = await fx.newPage();
    await fx.signIn(page);
    await page.getByRole("link", { name: "Updates sent" }).click();
    const more = page.getByRole("button", { name: "Show older updates" });
    await more.waitFor();
    const rows = page.locator("tbody tr");
    expect(await rows.count()).toBe(50);
    const ids = (await rows.locator("td:first-child").allTextContents()).map(Number);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    await more.click();
    await rows.nth(50).waitFor();
    expect(await rows.count()).toBeGreaterThan(50);
  }, 60_000);

  it("offers to move a booking only to slots the server finds free, not ones under calendar busy time", async () => {
    // Runs last: it links a calendar. The 11:00 slot is blocked (above); Alice's calendar is busy at 14:00.
    const storage = fx.server.ports?.storage;
    if (!storage) throw new Error("the console server has no storage");
    const credentials = parseCalendarCredentials(
      JSON.stringify({ client_id: "c", client_secret: "s", refresh_token: "r", token_uri: "http://127.0.0.1:9/t" }),
    );
    const nowSec = Math.floor(Date.now() / 1000);
    const { link } = await storage.calendar.saveLink(
      { merchantId: "m1", resourceKind: "staff", resourceId: "alice", calendarId: "alice@example.com", credentials },
      nowSec,
    );
    await storage.calendar.applySync(
      link,
      {
        mode: "full",
        changes: [{ eventId: "dentist", range: { startSec: fx.starts.later, endSec: fx.starts.later + 1800 } }],
        nextSyncToken: "sync-1",
        timeZone: "UTC",
      },
      nowSec,
      nowSec + 3600,
    );
    const bookingId = await fx.book(fx.starts.first, { given_name: "Edsger", family_name: "Dijkstra" });
    const page = await fx.newPage();
    await fx.signIn(page);
    await page.getByRole("heading", { name: /^Bookings/ }).waitFor();
    await page.goto(`${fx.server.url}/console/#/booking/${bookingId}`);
    await page.getByRole("button", { name: "Reschedule…" }).click();
    await page.getByText("No free time that day for this service with alice.").waitFor();
    await fx.screenshot(page, "reschedule-no-free-time");
  }, 60_000);
});
