import { invalidField, rpcError } from "../contract/errors.js";

/** Where the next page of a bookings listing starts, and the sync mark of its first page. */
export type BookingsPageToken =
  | { mode: "full"; filter: string; startSec: number; bookingId: string; mark: number }
  | { mode: "sync"; filter: string; changeMark: number; bookingId: string; mark: number; sinceMark: number };

/** What a sync token holds: the mark to list changes from, the merchant filter, and when it was issued. */
export interface SyncToken {
  mark: number;
  merchantId: string;
  issuedSec: number;
}

const encode = (value: object): string => Buffer.from(JSON.stringify(value), "utf8").toString("base64url");

function decode(token: string, field: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw invalidField(field, "is not a token this server issued");
}

/** Encodes a page token; opaque to clients. */
export function encodePageToken(token: BookingsPageToken): string {
  return encode(token);
}

/** Reads a page token; it must come from a listing with the same filters (`filter`). */
export function decodePageToken(token: string, filter: string): BookingsPageToken {
  const value = decode(token, "page_token") as Partial<BookingsPageToken>;
  if (value.filter !== filter) throw invalidField("page_token", "belongs to a listing with other filters");
  if (typeof value.bookingId !== "string" || typeof value.mark !== "number") {
    throw invalidField("page_token", "is not a token this server issued");
  }
  return value as BookingsPageToken;
}

/** Encodes a sync token. */
export function encodeSyncToken(token: SyncToken): string {
  return encode({ v: 1, ...token });
}

/**
 * Reads a sync token: it must be one of ours, for the same merchant filter, and no older than
 * `ttlSec`; an older one answers SYNC_TOKEN_EXPIRED (list again without it).
 */
export function decodeSyncToken(token: string, merchantId: string, nowSec: number, ttlSec: number): SyncToken {
  const value = decode(token, "sync_token");
  const { mark, issuedSec } = value;
  if (typeof mark !== "number" || typeof issuedSec !== "number" || typeof value.merchantId !== "string") {
    throw invalidField("sync_token", "is not a token this server issued");
  }
  if (value.merchantId !== merchantId) throw invalidField("sync_token", "was issued for another merchant_id");
  if (issuedSec + ttlSec < nowSec) {
    throw rpcError("SYNC_TOKEN_EXPIRED", "the sync token has expired; list again without it for a full sync");
  }
  return { mark, merchantId, issuedSec };
}
