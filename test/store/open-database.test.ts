import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { appliedVersions, applyMigrations } from "../../src/store/sqlite/apply-migrations.js";
import { migrations } from "../../src/store/sqlite/migrations/index.js";
import { openDatabase } from "../../src/store/sqlite/open-database.js";
import { createTempDbPath } from "../support/temp-dir.js";

describe("openDatabase", () => {
  const temps: ReturnType<typeof createTempDbPath>[] = [];
  const tempPath = () => {
    const temp = createTempDbPath();
    temps.push(temp);
    return temp.path;
  };
  afterEach(() => {
    for (const temp of temps.splice(0)) temp.remove();
  });

  it("opens in WAL mode with synchronous FULL, a 5 s busy timeout, foreign keys on and temporary storage in memory", () => {
    const db = openDatabase(tempPath());
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("synchronous", { simple: true })).toBe(2);
    expect(db.pragma("busy_timeout", { simple: true })).toBe(5000);
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.pragma("temp_store", { simple: true })).toBe(2);
    db.close();
  });

  it("offers the relaxed NORMAL mode on request", () => {
    const db = openDatabase(tempPath(), { synchronous: "NORMAL" });
    expect(db.pragma("synchronous", { simple: true })).toBe(1);
    db.close();
  });

  it("applies every migration once, in order, and records each", () => {
    const path = tempPath();
    openDatabase(path).close();
    const db = openDatabase(path);
    expect(appliedVersions(db)).toEqual(migrations.map((m) => m.version));
    expect(migrations.map((m) => m.version)).toEqual([...migrations.map((m) => m.version)].sort((a, b) => a - b));
    const columns = db.prepare("SELECT name FROM pragma_table_info('busy_interval') ORDER BY cid").pluck().all();
    expect(columns).toEqual([
      "id",
      "merchant_id",
      "resource_kind",
      "resource_id",
      "start_sec",
      "end_sec",
      "source",
      "source_ref",
      "note",
    ]);
    db.close();
  });

  it("rolls a failing migration back whole and records nothing for it", () => {
    const db = new Database(tempPath());
    const broken = [
      { version: 1, name: "ok", sql: "CREATE TABLE a (x INTEGER)" },
      { version: 2, name: "broken", sql: "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1)" },
    ];
    expect(() => applyMigrations(db, broken)).toThrow(/no such table: nowhere/);
    expect(appliedVersions(db)).toEqual([1]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
    db.close();
  });
});
