import type { WriteBatchStats } from "../../contract/write-batch-stats.js";
import { type ConnectionGate, createConnectionGate } from "./connection-gate.js";
import type { SqliteDatabase } from "./open-database.js";

/** Options of the write queue. */
export interface GroupCommitOptions {
  /** Most operations per transaction; 64 by default. 1 turns group commit off (one commit per write). */
  maxBatch?: number;
}

/** A queue that runs writes and resolves them only after their transaction commits. */
export interface GroupCommitQueue {
  submit<T>(operation: () => T | Promise<T>): Promise<T>;
  /** Resolves once every submitted write has settled. */
  drain(): Promise<void>;
  /** Transactions committed, and the writes committed in them (not those rolled back), to see how well writes are grouped. */
  stats(): WriteBatchStats;
}

interface Pending {
  operation: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Group commit: writes submitted in the same event-loop turn run in ONE `BEGIN IMMEDIATE` transaction,
 * each inside its own SAVEPOINT so a failing write rolls back alone. A FULL-synchronous commit costs one
 * fsync (~120 µs here), so sharing it among a batch multiplies the write rate. Every promise settles only
 * after COMMIT has returned, so nothing is acknowledged before it is durable.
 *
 * An operation may be async: the queue awaits each one before the next savepoint. Operations that await
 * only the store's (already resolved) promises finish within microtasks, so a whole batch still runs in
 * one event-loop turn; the connection gate keeps every other use of the connection out meanwhile.
 */
export function createGroupCommitQueue(
  db: SqliteDatabase,
  options: GroupCommitOptions = {},
  gate: ConnectionGate = createConnectionGate(),
): GroupCommitQueue {
  const maxBatch = Math.max(1, options.maxBatch ?? 64);
  let queue: Pending[] = [];
  let scheduled = false;
  let flushing = 0;
  let idle: (() => void)[] = [];
  let commits = 0;
  let writes = 0;
  const begin = db.prepare("BEGIN IMMEDIATE");
  const commit = db.prepare("COMMIT");
  const rollback = db.prepare("ROLLBACK");
  const savepoint = db.prepare("SAVEPOINT write");
  const release = db.prepare("RELEASE write");
  const rollbackTo = db.prepare("ROLLBACK TO write");

  const runOne = async (item: Pending): Promise<Settled> => {
    // An I/O or disk-full error makes SQLite abandon the whole transaction; later writes must not run
    // outside it in autocommit mode.
    if (!db.inTransaction) return { ok: false, error: new Error("transaction aborted by an earlier write") };
    savepoint.run();
    try {
      const value = await item.operation();
      release.run();
      return { ok: true, value };
    } catch (error) {
      if (db.inTransaction) {
        rollbackTo.run();
        release.run();
      }
      return { ok: false, error };
    }
  };

  const runBatch = async (batch: Pending[]): Promise<void> => {
    const results: Settled[] = [];
    try {
      begin.run();
      for (const item of batch) results.push(await runOne(item));
      commit.run();
      commits += 1;
      for (const result of results) if (result.ok) writes += 1;
    } catch (error) {
      // BEGIN or COMMIT failed (busy past the timeout, I/O error): nothing of the batch is durable.
      if (db.open && db.inTransaction) rollback.run();
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, index) => {
      const result = results[index];
      if (result?.ok) item.resolve(result.value);
      else item.reject(result?.error);
    });
  };

  const flush = async () => {
    scheduled = false;
    const batch = queue.slice(0, maxBatch);
    queue = queue.slice(batch.length);
    if (queue.length > 0) schedule();
    flushing += 1;
    try {
      await gate.exclusive(() => runBatch(batch));
    } finally {
      flushing -= 1;
      settleIdle();
    }
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => void flush());
  };

  const settleIdle = () => {
    if (queue.length > 0 || scheduled || flushing > 0) return;
    const waiting = idle;
    idle = [];
    for (const done of waiting) done();
  };

  return {
    submit<T>(operation: () => T | Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ operation, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
    stats: () => ({ transactions: commits, writes }),
    drain() {
      if (queue.length === 0 && !scheduled && flushing === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
  };
}
