import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/chromium.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

/** A page server on its own port: a second origin for the browser, serving one empty page. */
async function startPageOrigin(): Promise<{ origin: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end("<!doctype html><title>partner app</title>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** What a page's cross-origin fetch saw: the answer, or the TypeError a browser gives when CORS refuses it. */
type FetchSeen = { status: number; body: string; requestId: string | null } | { refused: string };

describe("CORS in a real browser (Chromium): pages of an allowed origin call the API, others are refused", () => {
  let browser: Browser;
  let api: TestServer;
  let allowed: { origin: string; server: Server };
  let other: { origin: string; server: Server };

  beforeAll(async () => {
    [allowed, other] = [await startPageOrigin(), await startPageOrigin()];
    api = await startTestServer({ corsOrigins: [allowed.origin] });
    browser = await launchChromium();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    for (const page of [allowed, other]) page?.server.close();
  });

  /** Opens a page of `origin` and has it call the API with the aggregator's credential. */
  const fetchFrom = async (origin: string, path: string, init: RequestInit): Promise<FetchSeen> => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${origin}/`);
      return await page.evaluate(
        async ({ url, init }) => {
          try {
            const res = await fetch(url, init);
            return { status: res.status, body: await res.text(), requestId: res.headers.get("x-request-id") };
          } catch (error) {
            return { refused: String(error) };
          }
        },
        { url: `${api.url}${path}`, init },
      );
    } finally {
      await context.close();
    }
  };

  const connectHealthCheck = (): RequestInit => ({
    method: "POST",
    headers: {
      authorization: api.authHeader,
      "content-type": "application/json",
      "connect-protocol-version": "1",
    },
    body: "{}",
  });

  it("lets a page of the allowed origin call Connect JSON and REST /v3, preflight included", async () => {
    const connect = await fetchFrom(
      allowed.origin,
      "/booking.partner.v3.BookingService/HealthCheck",
      connectHealthCheck(),
    );
    expect(connect).toEqual({ status: 200, body: "{}", requestId: expect.any(String) });

    const rest = await fetchFrom(allowed.origin, "/v3/HealthCheck", {
      method: "GET",
      headers: { authorization: api.authHeader },
    });
    expect(rest).toMatchObject({ status: 200, requestId: expect.any(String) });
  });

  it("lets the page read the error body and request id of a refused call", async () => {
    const seen = await fetchFrom(allowed.origin, "/booking.partner.v3.BookingService/HealthCheck", {
      ...connectHealthCheck(),
      headers: { "content-type": "application/json", "connect-protocol-version": "1", authorization: "Basic eDp5" },
    });
    expect(seen).toMatchObject({ status: 401, requestId: expect.any(String) });
    expect("body" in seen && JSON.parse(seen.body)).toMatchObject({ code: "unauthenticated" });
  });

  it("refuses a page of any other origin: the browser never hands it the answer", async () => {
    const seen = await fetchFrom(other.origin, "/booking.partner.v3.BookingService/HealthCheck", connectHealthCheck());
    expect(seen).toEqual({ refused: expect.stringContaining("Failed to fetch") });
  });
});
