import Database from "better-sqlite3";
import pg from "pg";

/** Raw SQL against a test database, to look inside or set up what no port can; `?` placeholders. */
export interface SqlProbe {
  rows(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** The first column of the first row (a COUNT, say), as a number when it is a count. */
  value(sql: string, params?: unknown[]): Promise<unknown>;
  /** The first column of every row. */
  column(sql: string, params?: unknown[]): Promise<unknown[]>;
  run(sql: string, params?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

/** Opens a probe on a SQLite file or a PostgreSQL URL; bigint columns read as numbers on both. */
export function openSqlProbe(url: string): SqlProbe {
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgresProbe(url);
  const db = new Database(url);
  db.pragma("busy_timeout = 5000");
  const rows = async (sql: string, params: unknown[] = []) =>
    db.prepare(sql).all(...params) as Record<string, unknown>[];
  return {
    rows,
    value: async (sql, params = []) =>
      db
        .prepare(sql)
        .pluck()
        .get(...params),
    column: async (sql, params = []) =>
      db
        .prepare(sql)
        .pluck()
        .all(...params),
    run: async (sql, params = []) => void db.prepare(sql).run(...params),
    close: async () => void db.close(),
  };
}

function openPostgresProbe(url: string): SqlProbe {
  const pool = new pg.Pool({
    connectionString: url,
    max: 2,
    types: {
      getTypeParser: (oid: number, format?: string) =>
        oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as never),
    } as never,
  });
  // A connection ended from the server side (a database dropped WITH (FORCE), a server stopped) must
  // not surface as an unhandled "error" event in the test process.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  const rows = async (sql: string, params: unknown[] = []) => (await pool.query(numbered(sql), params)).rows;
  const firstColumn = (row: Record<string, unknown> | undefined) => (row ? Object.values(row)[0] : undefined);
  return {
    rows,
    value: async (sql, params) => firstColumn((await rows(sql, params))[0]),
    column: async (sql, params) => (await rows(sql, params)).map(firstColumn),
    run: async (sql, params = []) => void (await pool.query(numbered(sql), params)),
    close: () => pool.end(),
  };
}
