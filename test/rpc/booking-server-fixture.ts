import { importFeed } from "../../src/feed/import-feed.js";
import { type BookingBackend, openBookingBackend } from "../../src/rpc/booking-backend.js";
import { aggregatorsByUser } from "../../src/server/credentials.js";
import { createTempDbPath, createTestClock, type EngineFixture, type TestClock } from "../booking/engine-fixture.js";
import { startTestServer, type TestServer, testCredential } from "../support/test-server.js";

/** One REST answer: status, headers and the body as text and parsed. */
export interface RestAnswer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  json: any;
}

/** A real server on 127.0.0.1:0 over a fresh SQLite file, with a hand-moved clock. */
export interface BookingServerFixture {
  server: TestServer;
  backend: BookingBackend;
  clock: TestClock;
  dbPath: string;
  /** POSTs a JSON body to /v3/<method> with the test credential. */
  rest(method: string, body: object): Promise<RestAnswer>;
  block: EngineFixture["block"];
  close(): Promise<void>;
}

/**
 * Starts the whole app with the booking handlers over a database loaded with `feed` (and `policies`);
 * `credentials` (credential lines) replace the one test credential, `rest` sends the first.
 */
export async function startBookingServer(
  options: { feed?: object; policies?: object; credentials?: string[] } = {},
): Promise<BookingServerFixture> {
  const temp = createTempDbPath();
  const clock = createTestClock();
  const credentials = options.credentials ?? [testCredential];
  const backend = openBookingBackend({ dbPath: temp.path, clock, aggregators: aggregatorsByUser(credentials) });
  if (options.feed) {
    importFeed(
      backend.db,
      {
        feedFile: "feed.json",
        feedText: JSON.stringify(options.feed),
        ...(options.policies ? { policiesFile: "policies.json", policiesText: JSON.stringify(options.policies) } : {}),
      },
      { nowSec: clock.nowSec() },
    );
  }
  let server: TestServer;
  try {
    server = await startTestServer({ handlers: backend.handlers, credentials });
  } catch (error) {
    await backend.close();
    temp.remove();
    throw error;
  }
  return {
    server,
    backend,
    clock,
    dbPath: temp.path,
    rest: (method, body) => postJson(server.url, server.authHeader, method, body),
    block: (b) => {
      backend.db
        .prepare(
          `INSERT INTO busy_interval (merchant_id, resource_kind, resource_id, start_sec, end_sec, source, source_ref)
           VALUES (?, ?, ?, ?, ?, 'block', ?)`,
        )
        .run(b.merchantId, b.kind, b.resourceId ?? "", b.startSec, b.endSec, `test-${b.startSec}-${Math.random()}`);
    },
    async close() {
      await server.close();
      await backend.close();
      temp.remove();
    },
  };
}

/** POSTs a JSON body to `${url}/v3/${method}` the way Google's REST client does. */
export async function postJson(url: string, authorization: string, method: string, body: object): Promise<RestAnswer> {
  const response = await fetch(`${url}/v3/${method}`, {
    method: "POST",
    headers: { authorization, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}
