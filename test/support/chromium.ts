import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium; Playwright's own browser downloads are not used. */
export const chromiumPath = process.env.BOOKING_TEST_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Starts headless Chromium with no background traffic (this machine's network is closed, and a browser
 * that keeps retrying Google's hosts slows every test down).
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `no Chromium at ${chromiumPath}: install Debian's (apt-get install chromium) or set BOOKING_TEST_CHROMIUM`,
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
