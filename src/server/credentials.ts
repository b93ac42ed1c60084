import { createHash, timingSafeEqual } from "node:crypto";

/** Outcome of checking an Authorization header. */
export type AuthResult =
  | { ok: true; user: string }
  | { ok: false; reason: "CREDENTIALS_MISSING" | "CREDENTIALS_INVALID" };

/** Checks an `Authorization` header value against the active credentials. */
export type Authenticator = (authorization: string | null | undefined) => AuthResult;

/**
 * Parses credentials text: one `user:password` per line; blank lines and `#` comments are skipped.
 * Several lines may be active at once, so a password can be rotated without downtime.
 */
export function parseCredentials(text: string): string[] {
  const pairs: string[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const colon = line.indexOf(":");
    if (colon <= 0 || colon === line.length - 1) {
      throw new Error(`credentials line ${index + 1}: expected user:password`);
    }
    pairs.push(line);
  }
  return pairs;
}

const digest = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

/**
 * Creates an HTTP Basic authenticator. Supplied credentials are hashed and compared with every
 * active pair in constant time, so neither timing nor the position of a match leaks anything.
 */
export function createAuthenticator(pairs: readonly string[]): Authenticator {
  const known = pairs.map((pair) => ({ user: pair.slice(0, pair.indexOf(":")), hash: digest(pair) }));
  return (authorization) => {
    if (!authorization) return { ok: false, reason: "CREDENTIALS_MISSING" };
    const match = /^basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization);
    if (!match?.[1]) return { ok: false, reason: "CREDENTIALS_INVALID" };
    const supplied = digest(Buffer.from(match[1], "base64").toString("utf8"));
    let user: string | undefined;
    for (const candidate of known) {
      if (timingSafeEqual(candidate.hash, supplied) && user === undefined) user = candidate.user;
    }
    return user === undefined ? { ok: false, reason: "CREDENTIALS_INVALID" } : { ok: true, user };
  };
}
