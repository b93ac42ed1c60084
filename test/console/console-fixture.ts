import { mkdirSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { addDays, today, zonedSec } from "../../console/src/time.js";
import { systemClock } from "../../src/booking/clock.js";
import { openStorage } from "../../src/store/open-storage.js";
import { makeAvailability, makeFeed, makePolicies } from "../booking/feed-builders.js";
import { postJson, type RestAnswer } from "../support/booking-server.js";
import { launchChromium } from "../support/chromium.js";
import { importTestFeed } from "../support/seed-storage.js";
import { createTestDatabase } from "../support/test-database.js";
import { startTestServer, type TestServer, testCredential } from "../support/test-server.js";

/** The admin credential the console tests sign in with. */
export const consoleUser = "front-desk";
export const consolePassword = "c0nsole-Pa55";
/** Where the tests write a screenshot of every page (git-ignored). */
export const screenshotDir = "test-results/console";

/** The merchant's time zone: the console shows every time in it, not in the browser's. */
export const merchantTimeZone = "Europe/Paris";

/**
 * The slots the console tests book: the day after tomorrow in the merchant's zone at 10:00, 11:00,
 * 12:00 and 14:00 local time, so they share a day and fit the blocks grid whenever the tests run.
 */
export function slotStarts() {
  const day = addDays(today(merchantTimeZone), 2);
  const at = (hour: number) => zonedSec(day, hour * 60, merchantTimeZone);
  return { first: at(10), second: at(11), pending: at(12), later: at(14) };
}

/** A real server (real clock) with a merchant in Paris, admin credentials, and a headless Chromium. */
export interface ConsoleFixture {
  server: TestServer;
  browser: Browser;
  starts: ReturnType<typeof slotStarts>;
  /** POST /v3/<method> as the aggregator. */
  rest(method: string, body: object): Promise<RestAnswer>;
  /** Books a slot over REST /v3/CreateBooking and returns its id. */
  book(startSec: number, user: { given_name: string; family_name: string }, serviceId?: string): Promise<string>;
  /** A new page in its own browser context (its own sessionStorage), at a desktop or tablet size. */
  newPage(size?: { width: number; height: number }): Promise<Page>;
  signIn(page: Page, password?: string): Promise<void>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;

export async function startConsoleFixture(): Promise<ConsoleFixture> {
  const database = await createTestDatabase("sqlite");
  const storage = await openStorage(database.url);
  const starts = slotStarts();
  await importTestFeed(
    storage,
    systemClock,
    makeFeed([
      ...[starts.first, starts.second, starts.later].map((start_sec) =>
        makeAvailability({
          start_sec,
          duration_sec: 3600,
          spots_total: 4,
          spots_open: 4,
          resources: { staff_id: "alice" },
        }),
      ),
      makeAvailability({
        service_id: "consultation",
        start_sec: starts.pending,
        duration_sec: 3600,
        spots_total: 4,
        spots_open: 4,
        confirmation_mode: "CONFIRMATION_MODE_ASYNCHRONOUS",
      }),
    ]),
    makePolicies({ merchants: [{ merchant_id: "m1", name: "Salon Lumière", time_zone: merchantTimeZone }] }),
  );
  const server = await startTestServer({
    storage,
    credentials: [testCredential],
    adminCredentials: [`${consoleUser}:${consolePassword}`],
  });
  const browser = await launchChromium();
  mkdirSync(screenshotDir, { recursive: true });
  const contexts: BrowserContext[] = [];
  const rest = (method: string, body: object) => postJson(server.url, server.authHeader, method, body);
  return {
    server,
    browser,
    starts,
    rest,
    async book(startSec, user, serviceId = "s1") {
      counter += 1;
      const created = await rest("CreateBooking", {
        slot: {
          merchant_id: "m1",
          service_id: serviceId,
          start_sec: String(startSec),
          duration_sec: "3600",
          ...(serviceId === "s1" ? { resources: { staff_id: "alice" } } : {}),
        },
        user_information: {
          user_id: `console-user-${counter}`,
          ...user,
          email: "guest@example.com",
          telephone: "+33 1 23 45 67 89",
        },
        payment_information: { prepayment_status: "PREPAYMENT_NOT_PROVIDED" },
        idempotency_token: `console-token-${process.pid}-${counter}`,
      });
      const bookingId = created.json?.booking?.booking_id as string | undefined;
      if (created.status !== 200 || !bookingId) throw new Error(`CreateBooking failed: ${created.text}`);
      return bookingId;
    },
    async newPage(size = { width: 1280, height: 900 }) {
      const context = await browser.newContext({ viewport: size, timezoneId: "America/New_York", locale: "en-GB" });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
    async signIn(page, password = consolePassword) {
      await page.goto(`${server.url}/console/`);
      await page.getByLabel("User name").fill(consoleUser);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
    },
    async screenshot(page, name) {
      await page.screenshot({ path: `${screenshotDir}/${name}.png`, fullPage: true });
    },
    async close() {
      for (const context of contexts) await context.close();
      await browser.close();
      await server.close();
      await database.remove();
    },
  };
}
