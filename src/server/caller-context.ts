import { createContextKey } from "@connectrpc/connect";

/** The credential user name that authenticated the call; handlers key idempotency records by it. */
export const callerKey = createContextKey<string>("anonymous");

/** The request id of the call, echoed to the client as `x-request-id`. */
export const requestIdKey = createContextKey<string>("");

/** The wire protocol a call arrived on: "rest", "connect", "grpc" or "grpc-web". */
export const protocolKey = createContextKey<string>("connect");
