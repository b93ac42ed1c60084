import { readFileSync } from "node:fs";
import type { ValidationLimits } from "../rpc/validation/validation-limits.js";
import { parseCredentials } from "./credentials.js";
import { type DeadlineOptions, defaultDeadlines } from "./deadline-interceptor.js";
import type { MetricsAccess } from "./metrics-route.js";
import type { RateLimitOptions } from "./rate-limiter.js";

/** The `serve` flags for limits and metrics, in `node:util` parseArgs form. */
export const limitArgOptions = {
  "rate-limit": { type: "string" },
  "rate-burst": { type: "string" },
  "bal-deadline-ms": { type: "string" },
  "deadline-ms": { type: "string" },
  "max-slot-times": { type: "string" },
  "metrics-credentials": { type: "string" },
  "metrics-public": { type: "boolean" },
  "max-connections-per-peer": { type: "string" },
  "read-cache-slots": { type: "string" },
  "read-cache-bookings": { type: "string" },
} as const;

/** Help text of those flags, environment variables in brackets. */
export const limitArgUsage = `  --rate-limit N         calls per second allowed per credential user, 0 for none
                         (BOOKING_RATE_LIMIT; default 0: no limit)
  --rate-burst N         calls a credential may make at once (BOOKING_RATE_BURST; default 2x rate)
  --bal-deadline-ms MS   server deadline of BatchAvailabilityLookup (BOOKING_BAL_DEADLINE_MS; default 1500)
  --deadline-ms MS       server deadline of every other RPC (BOOKING_DEADLINE_MS; default 10000)
  --max-slot-times N     most slot_time entries per lookup (BOOKING_MAX_SLOT_TIMES; default 1000)
  --metrics-credentials FILE  serve GET /metrics to these user:password lines only
                         (BOOKING_METRICS_CREDENTIALS_FILE)
  --metrics-public       serve GET /metrics without auth, for a private network (BOOKING_METRICS_PUBLIC=1)
  --max-connections-per-peer N  most open connections from one address; raise it behind a load
                         balancer that opens many (BOOKING_MAX_CONNECTIONS_PER_PEER; default 256)
  --read-cache-slots N   SQLite: slots and busy intervals the lookups keep in memory, 0 for none
                         (BOOKING_READ_CACHE_SLOTS; default 200000)
  --read-cache-bookings N  SQLite: bookings ListBookings keeps in memory, 0 for none
                         (BOOKING_READ_CACHE_BOOKINGS; default 200000)
`;

type LimitArgs = {
  [K in keyof typeof limitArgOptions]?: (typeof limitArgOptions)[K]["type"] extends "boolean" ? boolean : string;
};

/** What the flags configure. */
export interface LimitOptions {
  rateLimit?: RateLimitOptions;
  deadlines: DeadlineOptions;
  validationLimits: ValidationLimits;
  metrics?: MetricsAccess;
  transport: { maxConnectionsPerPeer: number };
  /** Bounds of SQLite's read caches (see OpenStorageOptions). */
  readCacheSlots: number;
  readCacheBookings: number;
}

/** Reads the limit flags (falling back to the environment); throws an Error naming a bad value. */
export function readLimitOptions(args: LimitArgs, env: NodeJS.ProcessEnv): LimitOptions {
  const rate = number("--rate-limit", args["rate-limit"] ?? env.BOOKING_RATE_LIMIT, 0, 0);
  const burst = number(
    "--rate-burst",
    args["rate-burst"] ?? env.BOOKING_RATE_BURST,
    Math.max(1, Math.ceil(rate * 2)),
    1,
  );
  const balMs = number(
    "--bal-deadline-ms",
    args["bal-deadline-ms"] ?? env.BOOKING_BAL_DEADLINE_MS,
    defaultDeadlines.byMethod.BatchAvailabilityLookup ?? 1500,
    1,
  );
  const otherMs = number(
    "--deadline-ms",
    args["deadline-ms"] ?? env.BOOKING_DEADLINE_MS,
    defaultDeadlines.defaultMs,
    1,
  );
  const maxSlotTimes = number("--max-slot-times", args["max-slot-times"] ?? env.BOOKING_MAX_SLOT_TIMES, 1000, 1);
  const credentialsFile = args["metrics-credentials"] ?? env.BOOKING_METRICS_CREDENTIALS_FILE;
  const metricsPublic = args["metrics-public"] ?? env.BOOKING_METRICS_PUBLIC === "1";
  if (credentialsFile && metricsPublic)
    throw new Error("--metrics-credentials and --metrics-public exclude each other");
  const metrics: MetricsAccess | undefined = credentialsFile
    ? { credentials: parseCredentials(readOptionFile("--metrics-credentials", credentialsFile)) }
    : metricsPublic
      ? { public: true }
      : undefined;
  const perPeer = number(
    "--max-connections-per-peer",
    args["max-connections-per-peer"] ?? env.BOOKING_MAX_CONNECTIONS_PER_PEER,
    256,
    1,
  );
  const cacheSlots = number("--read-cache-slots", args["read-cache-slots"] ?? env.BOOKING_READ_CACHE_SLOTS, 200_000, 0);
  const cacheBookings = number(
    "--read-cache-bookings",
    args["read-cache-bookings"] ?? env.BOOKING_READ_CACHE_BOOKINGS,
    200_000,
    0,
  );
  return {
    transport: { maxConnectionsPerPeer: Math.floor(perPeer) },
    readCacheSlots: Math.floor(cacheSlots),
    readCacheBookings: Math.floor(cacheBookings),
    ...(rate > 0 ? { rateLimit: { ratePerSec: rate, burst } } : {}),
    deadlines: { defaultMs: otherMs, byMethod: { BatchAvailabilityLookup: balMs } },
    validationLimits: { maxSlotTimes: Math.floor(maxSlotTimes) },
    ...(metrics ? { metrics } : {}),
  };
}

/** Reads the file a flag names; throws an Error naming the flag, the file and the reason. */
export function readOptionFile(flag: string, path: string): string;
export function readOptionFile(flag: string, path: string, encoding: null): Buffer;
export function readOptionFile(flag: string, path: string, encoding: "utf8" | null = "utf8"): string | Buffer {
  try {
    return encoding ? readFileSync(path, encoding) : readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such file"
        : code === "EACCES"
          ? "not readable by this user"
          : code === "EISDIR"
            ? "it is a directory"
            : (error as Error).message;
    throw new Error(`cannot read ${flag} ${path}: ${reason}`);
  }
}

function number(flag: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${flag}: expected a number of at least ${min}`);
  return value;
}
