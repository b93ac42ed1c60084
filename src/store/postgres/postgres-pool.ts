import { createHash } from "node:crypto";
import pg from "pg";
import { parsePostgresUrl } from "./postgres-config.js";
import { isConnectionError, isRetryable, translateStoreError } from "./store-error.js";

/** One connection's statements, with `$n` placeholders; bigint columns read as numbers. */
export interface Sql {
  rows<R>(text: string, values?: readonly unknown[]): Promise<R[]>;
  /** The first row, or undefined. */
  row<R>(text: string, values?: readonly unknown[]): Promise<R | undefined>;
  /** Runs a statement; resolves to the number of rows it touched. */
  run(text: string, values?: readonly unknown[]): Promise<number>;
  /** Runs one or more statements without parameters (schema migrations). */
  exec(text: string): Promise<void>;
}

/** How a transaction runs. */
export interface TransactionOptions {
  /** A REPEATABLE READ, READ ONLY transaction: one snapshot for every statement. */
  readOnly?: boolean;
  /** Besides serialization failures and deadlocks, errors after which the whole transaction runs again. */
  retryIf?: (error: unknown) => boolean;
}

/** The one pool of a process, and the only way the PostgreSQL store talks to the server. */
export interface PostgresPool {
  /**
   * Runs `fn` in one transaction on one connection and commits. A serialization failure or deadlock (or
   * `retryIf`) rolls back and runs `fn` again, at most 5 times in all, after a jittered pause. Errors leave
   * translated to domain errors.
   */
  transaction<T>(fn: (sql: Sql) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Runs one statement on its own, outside any transaction: one round trip. A connection that turns out
   * broken is replaced and the statement sent once more, so it must be harmless to run twice (it may
   * have run before the connection broke). Errors leave translated to domain errors.
   */
  statement<R>(text: string, values?: readonly unknown[]): Promise<R[]>;
  /** True when `SELECT 1` answers within the health timeout. */
  health(): Promise<boolean>;
  /** Closes every connection once idle; later calls wait for the same close. */
  end(): Promise<void>;
}

const maxAttempts = 5;

/** int8 (COUNT(*), bigint seconds and micros) as a JS number: every value stored fits in 2^53. */
const types = {
  getTypeParser: (oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as "text"),
};

/**
 * Opens the pool a `postgres://` URL describes (see parsePostgresUrl). Connections are made on demand;
 * a connection that breaks is discarded, so the pool reconnects by itself once the server is back.
 */
export function createPostgresPool(url: string): PostgresPool {
  const { pool: config, settings } = parsePostgresUrl(url);
  const pool = quietPool(new pg.Pool({ ...config, types }));
  // Its own connection: a probe must not queue behind a busy pool's transactions and read as "down".
  const healthPool = quietPool(new pg.Pool({ ...config, max: 1, types }));
  let ended: Promise<void> | undefined;

  const runOnce = async <T>(
    fn: (sql: Sql) => Promise<T>,
    options: TransactionOptions,
    progress: { started: boolean },
  ): Promise<T> => {
    const client = await pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on("error", onError);
    try {
      await client.query(options.readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN");
      progress.started = true;
      try {
        const value = await fn(sqlOf(client));
        await client.query("COMMIT");
        return value;
      } catch (error) {
        if (isConnectionError(error)) broken = error as Error;
        else await client.query("ROLLBACK").catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      }
    } catch (error) {
      if (isConnectionError(error)) broken ??= error as Error;
      throw error;
    } finally {
      client.off("error", onError);
      client.release(broken);
    }
  };

  return {
    async transaction(fn, options = {}) {
      for (let attempt = 1; ; attempt += 1) {
        const progress = { started: false };
        try {
          return await runOnce(fn, options, progress);
        } catch (error) {
          // A pooled connection may have died unnoticed (a server restart): nothing ran yet, so try once more.
          const stale = !progress.started && attempt === 1 && isConnectionError(error);
          const again = stale || isRetryable(error) || options.retryIf?.(error) === true;
          if (!again || attempt >= maxAttempts) throw translateStoreError(error);
          await pause(attempt);
        }
      }
    },
    async statement<R>(text: string, values?: readonly unknown[]) {
      for (let attempt = 1; ; attempt += 1) {
        let client: pg.PoolClient | undefined;
        let broken: Error | undefined;
        try {
          client = await pool.connect();
          return await sqlOf(client).rows<R>(text, values);
        } catch (error) {
          if (isConnectionError(error)) broken = error as Error;
          if (!broken || attempt >= 2) throw translateStoreError(error);
        } finally {
          client?.release(broken);
        }
      }
    },
    async health() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), settings.healthTimeoutMs);
      });
      const probe = healthPool.query("SELECT 1 AS ok").then(
        (result) => result.rows[0]?.ok === 1,
        () => false,
      );
      try {
        return await Promise.race([probe, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    end: () => (ended ??= Promise.all([pool.end(), healthPool.end()]).then(() => undefined)),
  };
}

/**
 * A connection that breaks (server shutdown, network) emits "error" on its client, and with no listener
 * that would end the process. The pool listens only while a client is idle, and a shutdown notice can
 * arrive in the same read as the end of a connect, before the caller has attached its own listener. So
 * every client gets a listener of its own for its whole life; a broken client then fails its next query
 * as a connection error, and is discarded on release. Idle breakages are dropped by the pool itself.
 */
function quietPool(pool: pg.Pool): pg.Pool {
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  return pool;
}

/** Statements are prepared once per connection under a name derived from their text. */
function sqlOf(client: pg.PoolClient): Sql {
  const query = (text: string, values: readonly unknown[] = []) =>
    client.query({ name: statementName(text), text, values: values as unknown[] });
  return {
    rows: async <R>(text: string, values?: readonly unknown[]) => (await query(text, values)).rows as R[],
    row: async <R>(text: string, values?: readonly unknown[]) => (await query(text, values)).rows[0] as R | undefined,
    run: async (text, values) => (await query(text, values)).rowCount ?? 0,
    exec: async (text) => void (await client.query(text)),
  };
}

const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `s${createHash("sha1").update(text).digest("hex").slice(0, 16)}`;
    statementNames.set(text, name);
  }
  return name;
}

/** 10, 20, 40, 80 ms ceilings with full jitter: twins that collided rarely collide again. */
function pause(attempt: number): Promise<void> {
  const ceiling = 10 * 2 ** (attempt - 1);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
