import { afterEach } from "vitest";
import type { BookingEngine } from "../../src/booking/booking-engine.js";
import { openStorage } from "../../src/store/open-storage.js";
import type { Storage } from "../../src/store/storage.js";
import { hoursFromNow, makeAvailability, makeFeed } from "../booking/feed-builders.js";
import { addTestBlock, importTestFeed, type TestBlock } from "./seed-storage.js";
import { openSqlProbe, type SqlProbe } from "./sql-probe.js";
import { createTestClock, type TestClock } from "./test-clock.js";
import { createTestDatabase, type TestBackend } from "./test-database.js";
import { startTestServer, type TestServer, type TestServerOptions, testCredential } from "./test-server.js";

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
  /** Adds a busy interval as a manual block, through the calendar port. */
  block(interval: TestBlock): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link startBookingServer}: the database and its inventory, and any option of the test server. */
export interface BookingServerOptions extends Omit<TestServerOptions, "handlers" | "storage" | "clock"> {
  backend?: TestBackend;
  feed?: object;
  policies?: object;
}

/**
 * Starts the whole app over a fresh database loaded with `feed` (and `policies`); `credentials`
 * (credential lines) replace the one test credential, `rest` sends the first.
 */
export async function startBookingServer(options: BookingServerOptions = {}): Promise<BookingServerFixture> {
  const { backend, feed, policies, ...serverOptions } = options;
  const database = await createTestDatabase(backend);
  const clock = createTestClock();
  const credentials = serverOptions.credentials ?? [testCredential];
  const storage = await openStorage(database.url);
  let server: TestServer;
  try {
    if (feed) await importTestFeed(storage, clock, feed, policies);
    server = await startTestServer({ ...serverOptions, storage, clock, credentials });
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
export function postJson(url: string, authorization: string, method: string, body: object): Promise<RestAnswer> {
  return postJsonTo(`${url}/v3/${method}`, authorization, body);
}

/** POSTs a JSON body to `endpoint` and reads the answer as text and, when it parses, as JSON. */
export async function postJsonTo(endpoint: string, authorization: string, body: object): Promise<RestAnswer> {
  const response = await fetch(endpoint, {
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

/** The whole app over the real booking engine and a fresh database (SQLite by default) with a small inventory. */
export interface EngineServer {
  server: TestServer;
  storage: Storage;
  /** Starts of the bookable slots of merchant m1, service s1 (5 spots each). */
  slotStarts: number[];
  /** Row count of every table, to prove a call changed nothing. */
  rowCounts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** Starts the app with three 5-spot slots 24, 25 and 26 hours from now, and HealthCheck probing the database. */
export async function startEngineServer(
  options: Omit<BookingServerOptions, "feed" | "policies"> = {},
): Promise<EngineServer> {
  const backend = options.backend ?? "sqlite";
  const slotStarts = [24, 25, 26].map(hoursFromNow);
  const feed = makeFeed(
    slotStarts.map((start) => makeAvailability({ start_sec: start, spots_total: 5, spots_open: 5 })),
  );
  const fx = await startBookingServer({ ...options, backend, feed });
  const tables = (await fx.sql.column(
    backend === "sqlite"
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
      : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
  )) as string[];
  return {
    server: fx.server,
    storage: fx.storage,
    slotStarts,
    async rowCounts() {
      const counts: Record<string, number> = {};
      for (const table of tables) counts[table] = (await fx.sql.value(`SELECT COUNT(*) FROM "${table}"`)) as number;
      return counts;
    },
    close: () => fx.close(),
  };
}

/**
 * For the tests of one `describe`: opens a SQLite server whose feed offers a two-spot slot at each of
 * `starts`, and closes it after each test.
 */
export function sqliteServerPerTest(starts: readonly number[]): () => Promise<BookingServerFixture> {
  let fx: BookingServerFixture | undefined;
  afterEach(async () => {
    await fx?.close();
    fx = undefined;
  });
  return async () => {
    fx = await startBookingServer({
      backend: "sqlite",
      feed: makeFeed(starts.map((start_sec) => makeAvailability({ start_sec, spots_total: 2, spots_open: 2 }))),
    });
    return fx;
  };
}
