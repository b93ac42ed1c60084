import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/booking/clock.js";
import { blocksCommand } from "../../src/cli/blocks-command.js";
import { calendarCommand } from "../../src/cli/calendar-command.js";
import { runCommand } from "../support/run-command.js";
import { createTempDir } from "../support/temp-dir.js";
import { createTestDatabase, type TestDatabase, testBackends } from "../support/test-database.js";
import { oauthCredentials, writeJsonFile } from "./calendar-fixtures.js";
import { type FakeGoogleCalendar, startFakeGoogleCalendar } from "./fake-google-calendar.js";
import { googleErrors } from "./google-error-bodies.js";

describe.each(testBackends)("calendar and blocks commands (%s)", (backend) => {
  let fake: FakeGoogleCalendar;
  let temp: ReturnType<typeof createTempDir>;
  let dbPath: string;
  let database: TestDatabase | undefined;

  beforeAll(async () => {
    fake = await startFakeGoogleCalendar();
    temp = createTempDir();
    // SQLite: a file in a directory the command must create; PostgreSQL: a fresh database.
    database = backend === "postgres" ? await createTestDatabase(backend) : undefined;
    dbPath = database?.url ?? join(temp.dir, "data", "booking.db");
  });

  afterAll(async () => {
    temp.remove();
    await database?.remove();
    await fake.close();
  });

  const capture = (command: typeof calendarCommand, argv: string[]) => runCommand(command, argv, systemClock);
  const calendar = (...argv: string[]) => capture(calendarCommand, [...argv, "--db", dbPath]);
  const blocks = (...argv: string[]) => capture(blocksCommand, [...argv, "--db", dbPath]);

  /** An ISO instant `days` from the real now: the CLI syncs with the system clock. */
  const daysAhead = (days: number, hour: number) => {
    const date = new Date(Date.now() + days * 86_400_000);
    date.setUTCHours(hour, 0, 0, 0);
    return date.toISOString().replace(".000Z", "Z");
  };

  describe("booking-server calendar", () => {
    it("links a calendar from a credentials file, syncs it on demand and shows its status without secrets", async () => {
      fake.addCalendar("front-desk@example.com", "Europe/Berlin");
      fake.putEvent("front-desk@example.com", {
        id: "e1",
        start: { dateTime: daysAhead(2, 9) },
        end: { dateTime: daysAhead(2, 10) },
      });
      const credentials = oauthCredentials(fake);
      const file = writeJsonFile(temp.dir, "oauth.json", credentials);
      const linked = await calendar(
        "link",
        "--merchant",
        "m1",
        "--staff",
        "st1",
        "--calendar-id",
        "front-desk@example.com",
        "--credentials-file",
        file,
      );
      expect(linked).toMatchObject({ code: 0, stderr: "" });
      expect(linked.stdout).toContain("linked calendar front-desk@example.com as link 1");

      const synced = await calendar("sync", "1", "--root-url", fake.rootUrl);
      expect(synced.stdout).toBe("link 1: synced (full), 1 busy intervals, 0 new conflicts\n");
      expect(synced.code).toBe(0);

      const status = await calendar("status");
      expect(status.stdout).toContain("link 1  merchant m1 staff st1  calendar front-desk@example.com  (oauth)");
      expect(status.stdout).toMatch(/state:\s+ok/);
      expect(status.stdout).toMatch(/busy intervals:\s+1/);
      expect(status.stdout).toMatch(/time zone:\s+Europe\/Berlin/);
      const json = await calendar("status", "--json");
      expect(JSON.parse(json.stdout).links[0]).toMatchObject({
        linkId: 1,
        busyIntervals: 1,
        state: { needsReauth: false, gone: false },
      });
      for (const output of [linked.stdout, synced.stdout, synced.stderr, status.stdout, json.stdout]) {
        expect(output).not.toContain(credentials.refresh_token);
        expect(output).not.toContain(credentials.client_secret);
        expect(output).not.toContain("sync-");
      }
    });

    it("shows the last error, the next attempt and re-authorisation in status", async () => {
      fake.addCalendar("flaky@example.com");
      const file = writeJsonFile(temp.dir, "flaky.json", oauthCredentials(fake));
      expect(
        (await calendar("link", "--merchant", "m2", "--calendar-id", "flaky@example.com", "--credentials-file", file))
          .code,
      ).toBe(0);
      fake.fail("flaky@example.com", googleErrors.authError(), googleErrors.authError());
      const synced = await calendar("sync", "2", "--root-url", fake.rootUrl);
      expect(synced.code).toBe(1);
      expect(synced.stdout).toContain(
        "link 2: failed: authError: Request had invalid authentication credentials.; next attempt none",
      );
      const status = await calendar("status");
      expect(status.stdout).toMatch(/link 2[\s\S]*state:\s+needs re-authorisation/);
      expect(status.stdout).toMatch(/last error:\s+authError: Request had invalid authentication credentials\./);
      expect(status.stdout).toMatch(/needs re-authorisation: yes/);
    });

    it("reports no conflicts when busy time overlaps no booking", async () => {
      const listed = await calendar("conflicts");
      expect(listed).toMatchObject({ code: 0, stdout: "no conflicts\n" });
    });

    it("unlinks a link and removes the busy time it brought", async () => {
      expect((await calendar("unlink", "1")).stdout).toBe("unlinked link 1\n");
      expect((await calendar("status", "--json")).stdout).not.toContain("front-desk@example.com");
      expect(await calendar("unlink", "1")).toMatchObject({
        code: 1,
        stderr: "booking-server calendar unlink: no link 1\n",
      });
    });

    it("refuses credentials on the command line, malformed files and conflicting resources", async () => {
      expect(
        (await calendar("link", "--merchant", "m1", "--calendar-id", "x", "--refresh-token", "1//secret")).code,
      ).toBe(2);
      const partial = writeJsonFile(temp.dir, "partial.json", { client_id: "id", refresh_token: "1//do-not-echo" });
      const refused = await calendar("link", "--merchant", "m1", "--calendar-id", "x", "--credentials-file", partial);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("OAuth credentials need client_secret");
      expect(refused.stderr).not.toContain("1//do-not-echo");
      const both = await calendar(
        "link",
        "--merchant",
        "m1",
        "--staff",
        "a",
        "--room",
        "b",
        "--calendar-id",
        "x",
        "--credentials-file",
        partial,
      );
      expect(both).toMatchObject({ code: 2 });
      expect(both.stderr).toContain("--staff and --room exclude each other");
    });

    it("refuses a subcommand named like an object property (constructor) as unknown, doing nothing", async () => {
      for (const sub of ["constructor", "toString", "__proto__"]) {
        const block = await blocks(sub, "1");
        expect(block).toMatchObject({ code: 2 });
        expect(block.stderr).toContain(`unknown command '${sub}'`);
        const link = await calendar(sub);
        expect(link).toMatchObject({ code: 2 });
        expect(link.stderr).toContain(`unknown command '${sub}'`);
      }
    });

    it("prints help for the command and for each subcommand", async () => {
      expect((await capture(calendarCommand, ["--help"])).stdout).toContain("Usage: booking-server calendar <command>");
      for (const sub of ["link", "unlink", "sync", "status", "conflicts"]) {
        const help = await capture(calendarCommand, [sub, "--help"]);
        expect(help).toMatchObject({ code: 0 });
        expect(help.stdout).toContain(`booking-server calendar ${sub}`);
      }
      for (const sub of ["add", "list", "remove"]) {
        expect((await capture(blocksCommand, [sub, "--help"])).stdout).toContain(`booking-server blocks ${sub}`);
      }
    });
  });

  describe("booking-server blocks", () => {
    it("adds, lists and removes blocks", async () => {
      const added = await blocks(
        "add",
        "--merchant",
        "m1",
        "--room",
        "r1",
        "--start",
        "2030-05-01T09:00:00+02:00",
        "--end",
        "2030-05-01T12:00:00+02:00",
        "--note",
        "painting",
      );
      expect(added.code).toBe(0);
      const blockId = /added block (blk_[0-9a-f]+)/.exec(added.stdout)?.[1] ?? "";
      expect((await blocks("list")).stdout).toBe(
        `${blockId}  merchant m1 room r1  2030-05-01T07:00:00Z..2030-05-01T10:00:00Z  "painting"\n`,
      );
      expect(JSON.parse((await blocks("list", "--json", "--merchant", "m1")).stdout).blocks).toEqual([
        {
          blockId,
          merchantId: "m1",
          resourceKind: "room",
          resourceId: "r1",
          startSec: Date.UTC(2030, 4, 1, 7) / 1000,
          endSec: Date.UTC(2030, 4, 1, 10) / 1000,
          note: "painting",
        },
      ]);
      expect((await blocks("remove", blockId)).stdout).toBe(`removed block ${blockId}\n`);
      expect((await blocks("list")).stdout).toBe("no blocks\n");
      expect((await blocks("remove", blockId)).code).toBe(1);
    });

    it("refuses times without an offset and empty intervals", async () => {
      const local = await blocks(
        "add",
        "--merchant",
        "m1",
        "--start",
        "2030-05-01T09:00:00",
        "--end",
        "2030-05-01T10:00:00Z",
      );
      expect(local.code).toBe(2);
      expect(local.stderr).toContain("--start must be an ISO 8601 time with an offset");
      const empty = await blocks(
        "add",
        "--merchant",
        "m1",
        "--start",
        "2030-05-01T10:00:00Z",
        "--end",
        "2030-05-01T10:00:00Z",
      );
      expect(empty.stderr).toContain("--end must be after --start");
    });
  });
});
