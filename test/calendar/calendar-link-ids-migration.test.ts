import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { parseCalendarCredentials } from "../../src/calendar/calendar-credentials.js";
import type { NewCalendarLink } from "../../src/calendar/calendar-link.js";
import { appliedVersions, applyMigrations } from "../../src/store/sqlite/apply-migrations.js";
import { createCalendarSqliteStore } from "../../src/store/sqlite/calendar-sqlite-store.js";
import { createConnectionGate } from "../../src/store/sqlite/connection-gate.js";
import { coreMigration } from "../../src/store/sqlite/migrations/001-core.js";
import { calendarMigration } from "../../src/store/sqlite/migrations/002-calendar.js";
import { calendarLinkIdsMigration } from "../../src/store/sqlite/migrations/003-calendar-link-ids.js";
import { migrations } from "../../src/store/sqlite/migrations/index.js";
import { openDatabase } from "../../src/store/sqlite/open-database.js";
import { createTempDir } from "../support/temp-dir.js";
import { calendarTestNowSec } from "./calendar-fixtures.js";

const credentials = parseCalendarCredentials(
  JSON.stringify({
    client_id: "client.apps.googleusercontent.com",
    client_secret: "GOCSPX-secret",
    refresh_token: "1//refresh",
    token_uri: "https://oauth2.googleapis.com/token",
  }),
);

const newLink = (calendarId: string, overrides: Partial<NewCalendarLink> = {}): NewCalendarLink => ({
  merchantId: "m1",
  resourceKind: "merchant",
  resourceId: "",
  calendarId,
  credentials,
  ...overrides,
});

const busyRow = (db: Database.Database, sourceRef: string, startSec: number) =>
  db
    .prepare(
      `INSERT INTO busy_interval (merchant_id, resource_kind, resource_id, start_sec, end_sec, source, source_ref)
       VALUES ('m1', 'merchant', '', ?, ?, 'calendar', ?)`,
    )
    .run(startSec, startSec + 3600, sourceRef);

const dump = (db: Database.Database) => ({
  links: db.prepare("SELECT * FROM calendar_link ORDER BY link_id").all(),
  busy: db.prepare("SELECT * FROM busy_interval ORDER BY id").all(),
  conflicts: db.prepare("SELECT * FROM busy_conflict ORDER BY conflict_id").all(),
});

describe("calendar link ids migration: ids are never reused", () => {
  const temps: ReturnType<typeof createTempDir>[] = [];
  const tempDbPath = () => {
    const temp = createTempDir();
    temps.push(temp);
    return join(temp.dir, "booking.db");
  };
  afterEach(() => {
    for (const temp of temps.splice(0)) temp.remove();
  });

  it("upgrades a database of the old schema keeping its links, busy time, constraints and index", async () => {
    const path = tempDbPath();
    const old = new Database(path);
    old.pragma("foreign_keys = ON");
    applyMigrations(old, [coreMigration, calendarMigration]);
    const oldStore = createCalendarSqliteStore(old, createConnectionGate());
    const first = (await oldStore.saveLink(newLink("a@example.com"), calendarTestNowSec)).link.linkId;
    const second = (await oldStore.saveLink(newLink("b@example.com", { resourceKind: "staff", resourceId: "st1" }), 1))
      .link;
    const third = (await oldStore.saveLink(newLink("c@example.com"), calendarTestNowSec)).link.linkId;
    expect([first, second.linkId, third]).toEqual([1, 2, 3]);
    await oldStore.applySync(
      second,
      { mode: "full", changes: [], nextSyncToken: "sync-7", timeZone: "Europe/Berlin" },
      calendarTestNowSec,
      calendarTestNowSec + 300,
    );
    busyRow(old, "1:evt-a", calendarTestNowSec);
    busyRow(old, "2:evt-b", calendarTestNowSec + 7200);
    // A row left behind under an id no link holds any more: that id counts as used too.
    busyRow(old, "5:evt-ghost", calendarTestNowSec + 14_400);
    old
      .prepare(
        `INSERT INTO busy_conflict (merchant_id, source, source_ref, booking_id, start_sec, end_sec, detected_sec)
         VALUES ('m1', 'calendar', '2:evt-b', 'bk1', ?, ?, ?)`,
      )
      .run(calendarTestNowSec + 7200, calendarTestNowSec + 10_800, calendarTestNowSec);
    expect(await oldStore.removeLink(third)).toBe(true);
    const before = dump(old);

    expect(applyMigrations(old, [calendarLinkIdsMigration])).toEqual([calendarLinkIdsMigration.version]);
    old.close();
    const db = openDatabase(path);

    expect(appliedVersions(db)).toEqual(migrations.map((m) => m.version));
    expect(dump(db)).toEqual(before);
    const indexes = db
      .prepare("SELECT name, \"unique\" FROM pragma_index_list('calendar_link') ORDER BY name")
      .all() as { name: string; unique: number }[];
    expect(indexes).toEqual([
      { name: "calendar_link_next_attempt", unique: 0 },
      { name: "sqlite_autoindex_calendar_link_1", unique: 1 },
    ]);
    const store = createCalendarSqliteStore(db, createConnectionGate());
    await expect(
      store.saveLink(newLink("x@example.com", { resourceKind: "merchant", resourceId: "r" }), 1),
    ).rejects.toThrow();
    expect(await store.saveLink(newLink("a@example.com"), 2)).toMatchObject({
      created: false,
      link: { linkId: first },
    });
    expect((await store.linkForSync(second.linkId))?.state).toMatchObject({
      syncToken: "sync-7",
      timeZone: "Europe/Berlin",
    });

    const next = (await store.saveLink(newLink("d@example.com"), calendarTestNowSec)).link.linkId;
    expect(next).toBe(6);
    expect(await store.removeLink(next)).toBe(true);
    expect((await store.saveLink(newLink("e@example.com"), calendarTestNowSec)).link.linkId).toBe(7);
    db.close();
  });

  it("after the upgrade, unlinking the newest link and linking again gives a new id, not the freed one", async () => {
    const path = tempDbPath();
    const old = new Database(path);
    applyMigrations(old, [coreMigration, calendarMigration]);
    const oldStore = createCalendarSqliteStore(old, createConnectionGate());
    const only = (await oldStore.saveLink(newLink("a@example.com"), calendarTestNowSec)).link.linkId;
    applyMigrations(old, migrations);
    const store = createCalendarSqliteStore(old, createConnectionGate());
    expect(await store.removeLink(only)).toBe(true);
    expect((await store.saveLink(newLink("b@example.com"), calendarTestNowSec)).link.linkId).toBe(only + 1);
    old.close();
  });
});
