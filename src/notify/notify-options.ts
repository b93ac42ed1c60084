import { readFileSync } from "node:fs";
import type { BackoffOptions } from "./delivery-backoff.js";
import { parseServiceAccountKey, type ServiceAccountKey } from "./notify-auth.js";
import { mapsBookingRootUrl } from "./rtu-request.js";

/** How real-time updates reach the aggregator. */
export interface NotifyOptions {
  partnerId: string;
  key: ServiceAccountKey;
  /** The Maps Booking API root; Google's by default. */
  rootUrl: string;
  /** Limit on one request; 10 s by default. */
  timeoutMs?: number;
  pollMs?: number;
  leaseMs?: number;
  backoff?: BackoffOptions;
}

/** The `serve` flags of real-time updates, in parseArgs form. */
export const notifyArgOptions = {
  "partner-id": { type: "string" },
  "notify-credentials": { type: "string" },
  "notify-root-url": { type: "string" },
  "notify-timeout-ms": { type: "string" },
  "notify-poll-ms": { type: "string" },
  "notify-lease-ms": { type: "string" },
  "notify-backoff-ms": { type: "string" },
} as const;

/** Their lines of `serve --help`. */
export const notifyArgUsage = `  --partner-id ID        your Actions Center partner id: with --notify-credentials, turns on
                         real-time updates to the aggregator (BOOKING_PARTNER_ID)
  --notify-credentials FILE
                         Google service-account key JSON for the Maps Booking API; its
                         token_uri is honoured (BOOKING_NOTIFY_CREDENTIALS_FILE)
  --notify-root-url URL  Maps Booking API root (BOOKING_NOTIFY_ROOT_URL;
                         default ${mapsBookingRootUrl})
  --notify-timeout-ms N  limit on one update request (default 10000)
  --notify-poll-ms N     pause between polls of an empty outbox (default 1000)
  --notify-lease-ms N    how long a claimed update is kept from other replicas (default 60000)
  --notify-backoff-ms BASE,CAP
                         retry backoff: full jitter under min(CAP, BASE*2^n) (default 1000,300000)
`;

/**
 * Reads the real-time update settings from flags and environment; undefined when they are off (no
 * partner id and no credentials). One without the other is an error.
 */
export function readNotifyOptions(
  values: Partial<Record<keyof typeof notifyArgOptions, string>>,
  env: NodeJS.ProcessEnv,
): NotifyOptions | undefined {
  const partnerId = values["partner-id"] ?? env.BOOKING_PARTNER_ID;
  const keyFile = values["notify-credentials"] ?? env.BOOKING_NOTIFY_CREDENTIALS_FILE;
  if (!partnerId && !keyFile) return undefined;
  if (!partnerId || !keyFile) throw new Error("--partner-id and --notify-credentials go together");
  let key: ServiceAccountKey;
  try {
    key = parseServiceAccountKey(readFileSync(keyFile, "utf8"));
  } catch (error) {
    throw new Error(`--notify-credentials: ${(error as Error).message}`);
  }
  const rootUrl = values["notify-root-url"] ?? env.BOOKING_NOTIFY_ROOT_URL ?? mapsBookingRootUrl;
  if (!/^https?:\/\//.test(rootUrl)) throw new Error("--notify-root-url must be an http(s) URL");
  const number = (name: keyof typeof notifyArgOptions): number | undefined => {
    const text = values[name];
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer`);
    return value;
  };
  const backoffText = values["notify-backoff-ms"];
  let backoff: BackoffOptions | undefined;
  if (backoffText !== undefined) {
    const [baseMs, capMs] = backoffText.split(",").map(Number);
    if (!baseMs || !capMs || baseMs <= 0 || capMs < baseMs)
      throw new Error("--notify-backoff-ms is BASE,CAP with CAP >= BASE > 0");
    backoff = { baseMs, capMs };
  }
  const timeoutMs = number("notify-timeout-ms");
  const pollMs = number("notify-poll-ms");
  const leaseMs = number("notify-lease-ms");
  return {
    partnerId,
    key,
    rootUrl,
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(pollMs ? { pollMs } : {}),
    ...(leaseMs ? { leaseMs } : {}),
    ...(backoff ? { backoff } : {}),
  };
}
