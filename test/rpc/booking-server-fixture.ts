import type { AppConfig } from "../../src/app.js";
import type { BookingEngine } from "../../src/booking/booking-engine.js";
import { openStorage } from "../../src/store/open-storage.js";
import type { Storage } from "../../src/store/storage.js";
import {
  addTestBlock,
  createTestClock,
  type EngineFixture,
  importTestFeed,
  type TestClock,
} from "../booking/engine-fixture.js";
import { openSqlProbe, type SqlProbe } from "../support/sql-probe.js";
import { createTestDatabase, type TestBackend } from "../support/test-database.js";
import { startTestServer, type TestServer, testCredential } from "../support/test-server.js";

/** One REST answer: status, headers and the body as text and parsed. */
export interface RestAnswer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  json: any;
}

/** A real server on 127.0.0.1:0 over a fresh database of one backend, with a hand-moved clock. */
export interface BookingServerFixture {
  server: TestServer;
  storage: Storage;
  engine: BookingEngine;
  clock: TestClock;
  /** The `--db` value of the database. */
  url: string;
  sql: SqlProbe;
  /** POSTs a JSON body to /v3/<method> with the test credential. */
  rest(method: string, body: object): Promise<RestAnswer>;
  block: EngineFixture["block"];
  close(): Promise<void>;
}

/**
 * Starts the whole app over a fresh database loaded with `feed` (and `policies`); `credentials`
 * (credential lines) replace the one test credential, `rest` sends the first.
 */
export async function startBookingServer(
  options: {
    backend?: TestBackend;
    feed?: object;
    policies?: object;
    credentials?: string[];
    /** Credential lines of AdminService. */
    adminCredentials?: string[];
    /** Real-time updates to a (fake) aggregator. */
    notify?: AppConfig["notify"];
    /** Who may read `/metrics`; not served when absent. */
    metrics?: AppConfig["metrics"];
  } = {},
): Promise<BookingServerFixture> {
  const database = await createTestDatabase(options.backend);
  const clock = createTestClock();
  const credentials = options.credentials ?? [testCredential];
  const storage = await openStorage(database.url);
  let server: TestServer;
  try {
    if (options.feed) await importTestFeed(storage, clock, options.feed, options.policies);
    server = await startTestServer({
      storage,
      clock,
      credentials,
      ...(options.adminCredentials ? { adminCredentials: options.adminCredentials } : {}),
      ...(options.notify ? { notify: options.notify } : {}),
      ...(options.metrics ? { metrics: options.metrics } : {}),
    });
  } catch (error) {
    await storage.close();
    await database.remove();
    throw error;
  }
  const engine = server.ports?.engine;
  if (!engine) throw new Error("the app was started without its booking engine");
  const sql = openSqlProbe(database.url);
  return {
    server,
    storage,
    engine,
    clock,
    url: database.url,
    sql,
    rest: (method, body) => postJson(server.url, server.authHeader, method, body),
    block: (b) => addTestBlock(storage, clock, b),
    async close() {
      await sql.close();
      await server.close();
      await database.remove();
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
