import { type ConnectError, createContextKey } from "@connectrpc/connect";
import { rpcError } from "../contract/errors.js";
import type { AuthResult } from "./credentials.js";

/**
 * The credential check of a call, made once from its headers by the entry path before the body is
 * read; the auth interceptor uses it instead of checking again.
 */
export const authResultKey = createContextKey<AuthResult | undefined>(undefined);

/** The error for a refused credential check, the same on every protocol and route. */
export function credentialsRefusal(reason: (AuthResult & { ok: false })["reason"]): ConnectError {
  return rpcError(reason, reason === "CREDENTIALS_MISSING" ? "missing HTTP Basic credentials" : "invalid credentials");
}
