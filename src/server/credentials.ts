import { createHash, timingSafeEqual } from "node:crypto";

/** One credential line: the HTTP Basic pair and the aggregator it acts for. */
export interface Credential {
  /** Bookings, user ids and idempotency tokens are scoped by it; the user name unless the line names one. */
  aggregator: string;
  user: string;
  password: string;
}

/** Outcome of checking an Authorization header. */
export type AuthResult =
  | { ok: true; aggregator: string; user: string }
  | { ok: false; reason: "CREDENTIALS_MISSING" | "CREDENTIALS_INVALID" };

/** Checks an `Authorization` header value against the active credentials. */
export type Authenticator = (authorization: string | null | undefined) => AuthResult;

// A word that can hold no ':' or space, so `[id]` is never read out of a password.
const aggregatorPattern = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Reads one credential line: `user:password`, or `[aggregator] user:password` to put the credential
 * in a named aggregator. The user is everything before the first ':' (HTTP Basic allows none in it);
 * the password is the rest of the line, spaces and ':' included. Errors never quote the line.
 */
export function parseCredentialLine(line: string): Credential {
  let rest = line.trim();
  let aggregator: string | undefined;
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    const name = close > 0 ? rest.slice(1, close) : "";
    if (!aggregatorPattern.test(name)) {
      throw new Error("expected [aggregator] with 1-64 letters, digits, '.', '_' or '-'");
    }
    aggregator = name;
    rest = rest.slice(close + 1).trimStart();
  }
  const colon = rest.indexOf(":");
  if (colon <= 0 || colon === rest.length - 1) throw new Error("expected user:password");
  const user = rest.slice(0, colon);
  return { aggregator: aggregator ?? user, user, password: rest.slice(colon + 1) };
}

/**
 * Parses credentials text: one `user:password` or `[aggregator] user:password` per line; blank lines
 * and `#` comments are skipped. Several lines may be active at once (a password is rotated by adding a
 * line for the same user or aggregator, then removing the old one). A user belongs to one aggregator,
 * and a name used as an aggregator cannot be a user of another one. Returns the lines, trimmed.
 */
export function parseCredentials(text: string): string[] {
  const lines: string[] = [];
  const parsed: Credential[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    try {
      parsed.push(parseCredentialLine(line));
    } catch (error) {
      throw new Error(`credentials line ${index + 1}: ${(error as Error).message}`);
    }
    lines.push(line);
  }
  aggregatorsByUser(parsed);
  return lines;
}

/**
 * Which aggregator each credential user acts for. Throws when a user is given two aggregators, or when
 * a name is both an aggregator and a user of another aggregator (then reassigning stored rows from
 * user names to aggregators would not be a one-step, repeatable move).
 */
export function aggregatorsByUser(credentials: readonly (string | Credential)[]): ReadonlyMap<string, string> {
  const byUser = new Map<string, string>();
  const parsed = credentials.map((entry) => (typeof entry === "string" ? parseCredentialLine(entry) : entry));
  for (const { user, aggregator } of parsed) {
    const known = byUser.get(user);
    if (known !== undefined && known !== aggregator) {
      throw new Error(`credentials: user ${user} is given to aggregators ${known} and ${aggregator}`);
    }
    byUser.set(user, aggregator);
  }
  for (const { aggregator } of parsed) {
    const owner = byUser.get(aggregator);
    if (owner !== undefined && owner !== aggregator) {
      throw new Error(`credentials: ${aggregator} names an aggregator and a user of aggregator ${owner}`);
    }
  }
  return byUser;
}

const digest = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

/** Most accepted Authorization values an authenticator remembers; more start the memory afresh. */
const maxRemembered = 64;

/**
 * Creates an HTTP Basic authenticator over credential lines. Supplied credentials are hashed and
 * compared with every active pair in constant time, so neither timing nor the position of a match
 * leaks anything. A match names the credential's user and its aggregator.
 *
 * A header value once accepted is remembered, exactly as sent, and accepted again without hashing: an
 * aggregator sends the same value on every call, and the hash was the largest part of checking it.
 * Refused values are never remembered, so guessing costs every guess its hash. The memory lives as
 * long as this authenticator, which is replaced whenever the credentials change.
 */
export function createAuthenticator(lines: readonly string[]): Authenticator {
  const known = lines.map((line) => {
    const { aggregator, user, password } = parseCredentialLine(line);
    return { aggregator, user, hash: digest(`${user}:${password}`) };
  });
  const accepted = new Map<string, AuthResult>();
  return (authorization) => {
    if (!authorization) return { ok: false, reason: "CREDENTIALS_MISSING" };
    const remembered = accepted.get(authorization);
    if (remembered) return remembered;
    const match = /^basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization);
    if (!match?.[1]) return { ok: false, reason: "CREDENTIALS_INVALID" };
    const supplied = digest(Buffer.from(match[1], "base64").toString("utf8"));
    let found: (typeof known)[number] | undefined;
    for (const candidate of known) {
      if (timingSafeEqual(candidate.hash, supplied) && found === undefined) found = candidate;
    }
    if (found === undefined) return { ok: false, reason: "CREDENTIALS_INVALID" };
    const result: AuthResult = Object.freeze({ ok: true, aggregator: found.aggregator, user: found.user });
    if (accepted.size >= maxRemembered) accepted.clear();
    accepted.set(authorization, result);
    return result;
  };
}
