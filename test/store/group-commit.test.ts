import { readdirSync, readlinkSync } from "node:fs";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { BookingError } from "../../src/booking/booking-error.js";
import { createGroupCommitQueue } from "../../src/store/sqlite/group-commit.js";
import { openDatabase, type SqliteDatabase } from "../../src/store/sqlite/open-database.js";
import { createSqliteBookingStore } from "../../src/store/sqlite/sqlite-booking-store.js";
import { createTempDbPath } from "../support/temp-dir.js";

describe("group commit", () => {
  let temp: ReturnType<typeof createTempDbPath>;
  let db: SqliteDatabase;
  const others: Database.Database[] = [];

  const setUp = () => {
    temp = createTempDbPath();
    db = openDatabase(temp.path);
    db.exec("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)");
  };
  afterEach(() => {
    for (const other of others.splice(0)) other.close();
    db.close();
    temp.remove();
  });

  const insert = (v: number) => () => db.prepare("INSERT INTO t (v) VALUES (?)").run(v).changes;

  it("commits writes submitted in one event-loop turn in one transaction", async () => {
    setUp();
    const queue = createGroupCommitQueue(db);
    await Promise.all(Array.from({ length: 10 }, (_, i) => queue.submit(insert(i))));
    expect(queue.stats()).toEqual({ transactions: 1, writes: 10 });
  });

  it("still shares one commit among async writes that await only the store's own calls", async () => {
    setUp();
    const store = createSqliteBookingStore(db);
    const writes = Array.from({ length: 20 }, (_, i) =>
      store.write(async (w) => {
        await w.getBooking(`b${i}`);
        await w.ledger.find("charge", `k${i}`);
        return insert(i)();
      }),
    );
    expect(await Promise.all(writes)).toEqual(Array(20).fill(1));
    expect(store.queue.stats()).toEqual({ transactions: 1, writes: 20 });
  });

  it("bounds a batch and commits the rest in later transactions", async () => {
    setUp();
    const queue = createGroupCommitQueue(db, { maxBatch: 4 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => queue.submit(insert(i))));
    expect(queue.stats()).toEqual({ transactions: 3, writes: 10 });
  });

  it("rolls back a failing write alone and commits its neighbours", async () => {
    setUp();
    const queue = createGroupCommitQueue(db);
    const failing = () => {
      db.prepare("INSERT INTO t (v) VALUES (100)").run();
      throw new Error("refused");
    };
    const results = await Promise.allSettled([queue.submit(insert(1)), queue.submit(failing), queue.submit(insert(2))]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(db.prepare("SELECT v FROM t ORDER BY v").pluck().all()).toEqual([1, 2]);
    // The write rolled back to its savepoint is not counted as committed.
    expect(queue.stats()).toEqual({ transactions: 1, writes: 2 });
  });

  it("resolves only once the write is committed and visible to another connection", async () => {
    setUp();
    const queue = createGroupCommitQueue(db);
    const reader = new Database(temp.path, { readonly: true });
    others.push(reader);
    await queue.submit(insert(7));
    expect(reader.prepare("SELECT v FROM t").pluck().all()).toEqual([7]);
  });

  it("rejects the whole batch with STORE_BUSY when another process holds the write lock past the timeout", async () => {
    temp = createTempDbPath();
    db = openDatabase(temp.path, { busyTimeoutMs: 50 });
    db.exec("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)");
    const holder = new Database(temp.path);
    others.push(holder);
    holder.exec("BEGIN IMMEDIATE");
    const store = createSqliteBookingStore(db);
    const results = await Promise.allSettled([
      store.write(async () => insert(1)()),
      store.write(async () => insert(2)()),
    ]);
    for (const result of results) {
      expect(result.status).toBe("rejected");
      const reason = result.status === "rejected" ? result.reason : undefined;
      expect(reason).toBeInstanceOf(BookingError);
      expect((reason as BookingError).code).toBe("STORE_BUSY");
    }
    holder.exec("ROLLBACK");
    expect(db.prepare("SELECT COUNT(*) FROM t").pluck().get()).toBe(0);
  });

  it("keeps each write's savepoint journal in memory: a batch that rewrites hundreds of pages opens no temporary file", async () => {
    setUp();
    // About 150 pages of rows; each write below rewrites 20 of them, so the batch's savepoints must keep
    // the first image of some 400 pages (1.6 MB), far past the 64 KiB SQLite keeps in memory by default
    // before it spills them to a temporary file, written page by page with pwrite.
    db.exec("CREATE TABLE wide (k INTEGER PRIMARY KEY, body TEXT NOT NULL)");
    const fill = db.prepare("INSERT INTO wide (k, body) VALUES (?, ?)");
    db.transaction(() => {
      for (let k = 0; k < 300; k++) fill.run(k, "a".repeat(1800));
    })();
    const rewrite = db.prepare("UPDATE wide SET body = ? WHERE k = ?");
    const temporaryFiles = (): string[] =>
      readdirSync("/proc/self/fd").flatMap((fd) => {
        try {
          const target = readlinkSync(`/proc/self/fd/${fd}`);
          return /etilqs_/.test(target) ? [target] : [];
        } catch {
          return [];
        }
      });
    const opened: string[] = [];
    const queue = createGroupCommitQueue(db);
    await Promise.all(
      Array.from({ length: 20 }, (_, w) =>
        queue.submit(() => {
          for (let i = 0; i < 20; i++) rewrite.run("b".repeat(1800), (w * 20 + i * 7) % 300);
          opened.push(...temporaryFiles());
        }),
      ),
    );
    expect(queue.stats()).toEqual({ transactions: 1, writes: 20 });
    expect(opened).toEqual([]);
  });

  it("reports a closed database as STORE_UNAVAILABLE", async () => {
    temp = createTempDbPath();
    db = openDatabase(temp.path);
    const store = createSqliteBookingStore(db);
    db.close();
    await expect(store.read((r) => r.getBooking("x"))).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    db = openDatabase(temp.path);
  });
});
