import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { serveCommand } from "../../src/cli/serve-command.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "start-failures-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `serve` in-process and returns its exit code and what it wrote on stderr. */
async function serve(args: string[]): Promise<{ code: number; stderr: string }> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    const code = await serveCommand([...args, "--log-format", "json", "--log-level", "silent"]);
    return { code, stderr: written.join("") };
  } finally {
    spy.mockRestore();
  }
}

describe("serve refuses to start with one clear line and leaves nothing behind", () => {
  let blocker: net.Server;
  let busyPort = 0;
  beforeAll(async () => {
    blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    busyPort = (blocker.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  afterEach(() => vi.restoreAllMocks());

  it("names a busy port and what to do, before creating or seeding a database", async () => {
    const db = join(dir, "busy", "nested", "booking.db");
    const { code, stderr } = await serve(["--demo", "--port", String(busyPort), "--db", db]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `booking-server serve: port ${busyPort} on 127.0.0.1 is already in use: stop the other process or pass another --port (BOOKING_PORT)\n`,
    );
    expect(existsSync(join(dir, "busy"))).toBe(false);
  });

  it("names the database path and the reason it cannot be opened", async () => {
    const { code, stderr } = await serve(["--demo", "--port", "0", "--db", dir]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `booking-server serve: cannot open the database ${dir}: the path is a directory, not a file; pass --db with a file path this user can create and write (BOOKING_DB)\n`,
    );
    const aFile = join(dir, "plain-file");
    writeFileSync(aFile, "not a directory");
    const under = await serve(["--demo", "--port", "0", "--db", join(aFile, "booking.db")]);
    expect(under.stderr).toMatch(/cannot open the database .*: .*plain-file is a file, not a directory; pass --db/);
    const garbage = join(dir, "garbage.db");
    writeFileSync(garbage, "x".repeat(4096));
    const notDb = await serve(["--demo", "--port", "0", "--db", garbage]);
    expect(notDb.stderr).toMatch(/the file is not a usable SQLite database; pass --db with a booking-server database/);
    expect(readFileSync(garbage, "utf8")).toBe("x".repeat(4096));
    expect(readdirSync(dir).sort()).toEqual(["garbage.db", "plain-file"]);
  });

  it("says an empty credentials file has no credential, rather than asking for the flag that was given", async () => {
    const empty = join(dir, "empty-credentials");
    writeFileSync(empty, "# nobody yet\n");
    const { code, stderr } = await serve(["--credentials", empty, "--port", "0"]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `booking-server serve: the credentials file ${empty} has no user:password line; add one per line\n`,
    );
    const missing = await serve(["--credentials", join(dir, "nope"), "--port", "0"]).catch((e: Error) => e);
    expect((missing as Error).message).toBe(`cannot read --credentials ${join(dir, "nope")}: no such file`);
  });

  it("lists the log levels instead of pino's wording", async () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const code = await serveCommand(["--demo", "--log-level", "verbose"]);
    expect(code).toBe(2);
    expect(written.join("")).toBe(
      "booking-server serve: --log-level verbose is not a level; use fatal, error, warn, info, debug, trace, silent\n",
    );
  });
});

describe("booking-server --version", () => {
  it("prints the package version for --version, -v and version", async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string };
    const run = promisify(execFile);
    for (const flag of ["--version", "-v", "version"]) {
      const { stdout } = await run(process.execPath, ["bin/booking-server.js", flag], { cwd: repoRoot });
      expect(stdout).toBe(`booking-server ${version}\n`);
    }
  }, 30_000);
});
