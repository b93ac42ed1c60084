import { invalidField } from "../contract/errors.js";

/** Where the next page of a keyset-paged listing (slots, blocks, calendar links) starts. */
export interface KeysetToken {
  /** The listing's filters; a token is refused under other filters. */
  filter: string;
  /** The sort key of the last item of the previous page. */
  after: (string | number)[];
}

/** Encodes a page token; opaque to clients. */
export function encodeKeysetToken(token: KeysetToken): string {
  return Buffer.from(JSON.stringify(token), "utf8").toString("base64url");
}

/** Reads a page token issued by a listing with the same filters. */
export function decodeKeysetToken(token: string, filter: string): KeysetToken["after"] {
  let value: Partial<KeysetToken> | undefined;
  try {
    value = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Partial<KeysetToken>;
  } catch {
    value = undefined;
  }
  const after = value?.after;
  if (!Array.isArray(after) || !after.every((part) => typeof part === "string" || typeof part === "number")) {
    throw invalidField("page_token", "is not a token this server issued");
  }
  if (value?.filter !== filter) throw invalidField("page_token", "belongs to a listing with other filters");
  return after;
}

/**
 * One page of an in-memory listing sorted by `keyOf` (ascending, as the store returns it): the items
 * after the token's key, and the next token when the page is full.
 */
export function pageOf<T>(
  items: readonly T[],
  keyOf: (item: T) => (string | number)[],
  options: { filter: string; pageToken: string; limit: number },
): { page: T[]; nextPageToken: string } {
  const after = options.pageToken ? decodeKeysetToken(options.pageToken, options.filter) : undefined;
  const rest = after ? items.filter((item) => compareKeys(keyOf(item), after) > 0) : items;
  const page = rest.slice(0, options.limit);
  const last = page.length === options.limit && rest.length > options.limit ? page[page.length - 1] : undefined;
  return {
    page,
    nextPageToken: last ? encodeKeysetToken({ filter: options.filter, after: keyOf(last) }) : "",
  };
}

function compareKeys(a: (string | number)[], b: (string | number)[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}
