import Database from "better-sqlite3";
import { createTempDbPath } from "../support/temp-dir.js";
import { startTestServer, type TestServer, testTls } from "../support/test-server.js";
import { type Http1Target, sendHttp1 } from "./raw-http1.js";
import type { Http2Target } from "./raw-http2.js";

/** What fuzzed calls must never change: bookings, idempotency records, ledger entries, booked spots. */
export interface TableState {
  bookings: number;
  idempotencyRecords: number;
  ledgerEntries: number;
  spotsBooked: number;
}

/** A real server (in this process) over a demo database, and what a fuzz test checks after each case. */
export interface FuzzTarget {
  server: TestServer;
  http1: Http1Target;
  http2: Http2Target;
  /** The host:port a well-behaved client sends. */
  authority: string;
  /** Read straight from the database file, through a read-only connection of the test's own. */
  tableState(): TableState;
  /** Aborted as soon as an uncaught exception or unhandled rejection reaches the process. */
  crashSignal(): AbortSignal;
  /** Every uncaught exception and unhandled rejection since the server started. */
  crashes(): unknown[];
  /** Every TimeoutOverflowWarning since the server started: a timer Node shortened to 1 ms. */
  timerOverflows(): string[];
  /** Why an authenticated `GET /v3/HealthCheck` failed, or undefined when it answered 200. */
  healthProblem(): Promise<string | undefined>;
  close(): Promise<void>;
}

/** Starts the app (demo inventory, fresh SQLite file), cleartext or TLS with the test certificate. */
export async function startFuzzTarget(options: { tls?: boolean } = {}): Promise<FuzzTarget> {
  const temp = createTempDbPath();
  const crashes: unknown[] = [];
  let controller = new AbortController();
  // The server runs in this process, so a request that kills a real server shows up here instead.
  const onCrash = (error: unknown): void => {
    crashes.push(error);
    controller.abort(error);
    controller = new AbortController();
  };
  // A deadline beyond 2^31-1 ms (grpc-timeout 700H is valid) given to setTimeout fires after 1 ms.
  const overflows: string[] = [];
  const onWarning = (warning: Error): void => {
    if (warning.name === "TimeoutOverflowWarning") overflows.push(warning.message.split("\n")[0] ?? "");
  };
  const unwatch = (): void => {
    process.off("uncaughtException", onCrash);
    process.off("unhandledRejection", onCrash);
    process.off("warning", onWarning);
  };
  process.on("uncaughtException", onCrash);
  process.on("unhandledRejection", onCrash);
  process.on("warning", onWarning);
  const tls = options.tls ? testTls() : undefined;
  let server: TestServer;
  try {
    server = await startTestServer({ database: temp.path, demo: true, ...(tls ? { tls } : {}) });
  } catch (error) {
    unwatch();
    temp.remove();
    throw error;
  }
  const db = new Database(temp.path, { readonly: true, fileMustExist: true });
  const state = db.prepare(`SELECT
      (SELECT COUNT(*) FROM booking) AS bookings,
      (SELECT COUNT(*) FROM idempotency_record) AS idempotencyRecords,
      (SELECT COUNT(*) FROM payment_ledger) AS ledgerEntries,
      (SELECT COALESCE(SUM(spots_booked), 0) FROM slot) AS spotsBooked`);
  const http1: Http1Target = tls ? { port: server.port, tls: { ca: tls.cert } } : { port: server.port };
  const authority = `127.0.0.1:${server.port}`;
  return {
    server,
    http1,
    http2: tls ? { url: `https://${authority}`, ca: tls.cert } : { url: `http://${authority}` },
    authority,
    tableState: () => ({ ...(state.get() as TableState) }),
    crashSignal: () => controller.signal,
    crashes: () => [...crashes],
    timerOverflows: () => [...overflows],
    async healthProblem() {
      const request = `GET /v3/HealthCheck HTTP/1.1\r\nHost: ${authority}\r\nAuthorization: ${server.authHeader}\r\nConnection: close\r\n\r\n`;
      const outcome = await sendHttp1(http1, Buffer.from(request), { timeoutMs: 5_000 });
      if (outcome.kind === "response" && outcome.status === 200) return undefined;
      return `HealthCheck answered ${JSON.stringify(outcome).slice(0, 300)}`;
    },
    async close() {
      db.close();
      try {
        await server.close();
      } finally {
        unwatch();
        temp.remove();
      }
    },
  };
}
