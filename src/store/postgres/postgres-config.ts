import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import type pg from "pg";

/** What a `postgres://` URL configures besides where to connect. */
export interface PostgresSettings {
  /** Most connections the pool opens. */
  poolMax: number;
  /** Longest a statement may run before the server cancels it, in ms. */
  statementTimeoutMs: number;
  /** Longest a call waits for a connection (new or from the pool), in ms. */
  connectTimeoutMs: number;
  /** Longest `health()` waits for `SELECT 1`, in ms. */
  healthTimeoutMs: number;
}

/** Where the defaults of the URL's query parameters live, for the docs and the tests. */
export const postgresDefaults: PostgresSettings = {
  poolMax: 10,
  statementTimeoutMs: 5_000,
  connectTimeoutMs: 5_000,
  healthTimeoutMs: 1_000,
};

/**
 * Reads a `postgres://user:password@host:port/database?...` URL into a pg pool configuration. Accepted
 * query parameters (any other is refused, so a typo does not pass silently):
 *
 * - `pool_max` — most connections per process (default 10);
 * - `statement_timeout` — per-statement limit in ms (default 5000; 0 means none);
 * - `connect_timeout` — seconds to wait for a connection, as in libpq (default 5);
 * - `sslmode` — `disable` (default), `require` (TLS, certificate not checked), `verify-ca` (TLS, chain
 *   checked) or `verify-full` (chain and host name checked); `sslrootcert` — a CA file for the last two;
 * - `application_name` — shown in `pg_stat_activity` (default `booking-server`).
 */
export function parsePostgresUrl(url: string): { pool: pg.PoolConfig; settings: PostgresSettings } {
  const parsed = new URL(url);
  const params = parsed.searchParams;
  const known = new Set([
    "pool_max",
    "statement_timeout",
    "connect_timeout",
    "sslmode",
    "sslrootcert",
    "application_name",
  ]);
  for (const name of params.keys()) {
    if (!known.has(name))
      throw new Error(`unknown PostgreSQL URL parameter ${name}; accepted: ${[...known].join(", ")}`);
  }
  const settings: PostgresSettings = {
    ...postgresDefaults,
    poolMax: integerParam(params, "pool_max", postgresDefaults.poolMax, 1),
    statementTimeoutMs: integerParam(params, "statement_timeout", postgresDefaults.statementTimeoutMs, 0),
    connectTimeoutMs: integerParam(params, "connect_timeout", postgresDefaults.connectTimeoutMs / 1000, 1) * 1000,
  };
  const ssl = sslOptions(params.get("sslmode") ?? "disable", params.get("sslrootcert"));
  const pool: pg.PoolConfig = {
    host: decodeURIComponent(parsed.hostname).replace(/^\[(.+)\]$/, "$1") || "localhost",
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username) || "postgres",
    password: decodeURIComponent(parsed.password),
    database: decodeURIComponent(parsed.pathname.slice(1)) || "postgres",
    max: settings.poolMax,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    application_name: params.get("application_name") ?? "booking-server",
    ...(settings.statementTimeoutMs > 0 ? { statement_timeout: settings.statementTimeoutMs } : {}),
    ...(ssl ? { ssl } : {}),
  };
  return { pool, settings };
}

function integerParam(params: URLSearchParams, name: string, fallback: number, min: number): number {
  const raw = params.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`PostgreSQL URL parameter ${name} must be an integer >= ${min}`);
  return value;
}

function sslOptions(mode: string, rootCertPath: string | null): ConnectionOptions | undefined {
  const ca = rootCertPath ? { ca: readFileSync(rootCertPath, "utf8") } : {};
  switch (mode) {
    case "disable":
      return undefined;
    case "require":
      return { rejectUnauthorized: false };
    case "verify-ca":
      // The chain is checked; the host name is not, as libpq's verify-ca.
      return { ...ca, rejectUnauthorized: true, checkServerIdentity: () => undefined };
    case "verify-full":
      return { ...ca, rejectUnauthorized: true };
    default:
      // prefer/allow fall back to plain text in libpq; pg cannot, so they are refused rather than guessed.
      throw new Error(`sslmode=${mode} is not supported; use disable, require, verify-ca or verify-full`);
  }
}
