import { type ContextValues, createContextKey } from "@connectrpc/connect";

/**
 * The credential user that authenticated the call, as the transport sets it from the authenticator's
 * result. The call log, metrics and the rate limiter key by it; booking handlers never scope by it
 * directly but by its aggregator (see `aggregatorOf`).
 */
export const callerKey = createContextKey<string>("anonymous");

/** The request id of the call, echoed to the client as `x-request-id`. */
export const requestIdKey = createContextKey<string>("");

/** The wire protocol a call arrived on: "rest", "connect", "grpc" or "grpc-web". */
export const protocolKey = createContextKey<string>("connect");

/** The aggregator of the credential that authenticated the call, as the authenticator found it. */
export const aggregatorKey = createContextKey<string | undefined>(undefined);

/** Which aggregator each credential user acts for (see `aggregatorsByUser` in credentials.ts). */
export type AggregatorDirectory = ReadonlyMap<string, string>;

/**
 * The aggregator a call acts for: bookings, user ids and idempotency tokens are scoped by it. A user
 * the directory does not know is its own aggregator, so a mismatch isolates more, never less.
 */
export function aggregatorOf(directory: AggregatorDirectory, values: ContextValues): string {
  const user = values.get(callerKey);
  return values.get(aggregatorKey) ?? directory.get(user) ?? user;
}
