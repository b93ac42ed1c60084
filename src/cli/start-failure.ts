import { accessSync, constants, existsSync, rmdirSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import { dirname, resolve } from "node:path";

/** Where `serve` was asked to listen and keep its data, to name them when the start fails. */
export interface StartTarget {
  host: string;
  port: number;
  /** The `--db` value: a SQLite file path (or, later, a database URL, which is left alone). */
  db: string;
}

/**
 * Binds and releases the port before anything else starts, so a busy or forbidden port is reported
 * before a database is created or seeded. Port 0 (any free port) cannot be busy.
 */
export async function probePort(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = net.createServer();
  await new Promise<void>((done, fail) => {
    probe.once("error", fail);
    probe.listen(port, host, () => done());
  });
  await new Promise<void>((done) => probe.close(() => done()));
}

/**
 * Notes which of the database's files and directories exist before a start, so a start that fails
 * can remove what it created and leave nothing behind.
 */
export function noteNewDatabaseFiles(db: string): { removeNew(): void } {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(db)) return { removeNew: () => {} };
  const file = resolve(db);
  const files = ["", "-wal", "-shm", "-journal"].map((suffix) => file + suffix).filter((f) => !existsSync(f));
  const directories: string[] = [];
  for (let dir = dirname(file); !existsSync(dir) && dir !== dirname(dir); dir = dirname(dir)) directories.push(dir);
  return {
    removeNew() {
      // Whatever cannot be removed (never created, or a directory someone else wrote into) is left alone.
      for (const f of files) ignoreFailure(() => rmSync(f, { force: true }));
      for (const dir of directories) ignoreFailure(() => rmdirSync(dir));
    },
  };
}

/** One line saying what went wrong at start and what to do about it. */
export function describeStartFailure(error: unknown, target: StartTarget): string {
  const e = error as NodeJS.ErrnoException & { address?: string };
  const where = `${target.host}:${target.port}`;
  switch (e.code) {
    case "EADDRINUSE":
      return `port ${target.port} on ${target.host} is already in use: stop the other process or pass another --port (BOOKING_PORT)`;
    case "EACCES":
      if (e.syscall === "listen" || e.syscall === "bind") {
        return `not allowed to listen on ${where}: ports below 1024 need privileges; pass --port 1024 or higher`;
      }
      break;
    case "EADDRNOTAVAIL":
      return `${target.host} is not an address of this machine: pass --host 127.0.0.1 (local) or 0.0.0.0 (all interfaces)`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot resolve --host ${target.host}: pass an IP address or a name this machine resolves`;
  }
  if (e.code?.startsWith("ERR_OSSL") || (e as { library?: string }).library !== undefined) {
    return "the TLS certificate or key is not usable (expected PEM files that belong together): check --tls-cert and --tls-key";
  }
  const onDatabasePath = typeof e.path === "string" && resolve(target.db).startsWith(resolve(e.path));
  if (e.code?.startsWith("SQLITE_") || onDatabasePath) {
    return `cannot open the database ${target.db}: ${databaseProblem(target.db, e)}`;
  }
  return e.message;
}

const newFileAdvice = "pass --db with a file path this user can create and write (BOOKING_DB)";

/** Why a database file cannot be opened, found by looking at the path itself, and what to do. */
function databaseProblem(db: string, error: NodeJS.ErrnoException): string {
  const file = resolve(db);
  if (isDirectory(file)) return `the path is a directory, not a file; ${newFileAdvice}`;
  let dir = dirname(file);
  while (!existsSync(dir) && dir !== dirname(dir)) dir = dirname(dir);
  if (!isDirectory(dir)) return `${dir} is a file, not a directory; ${newFileAdvice}`;
  if (!existsSync(file) && !canAccess(dir, constants.W_OK)) {
    return `the directory ${dir} is not writable by this user; ${newFileAdvice}`;
  }
  if (existsSync(file) && !canAccess(file, constants.R_OK | constants.W_OK)) {
    return "the file is not readable and writable by this user; fix its owner or mode, or pass another --db";
  }
  if (error.code === "SQLITE_NOTADB" || error.code === "SQLITE_CORRUPT") {
    return "the file is not a usable SQLite database; pass --db with a booking-server database or a new file";
  }
  return `${error.message}; check the path and its permissions (--db, BOOKING_DB)`;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function canAccess(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

function ignoreFailure(action: () => void): void {
  try {
    action();
  } catch {
    // See the caller.
  }
}
