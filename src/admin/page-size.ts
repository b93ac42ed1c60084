import { invalidField } from "../contract/errors.js";

/** Page size when a list request names none. */
export const defaultPageSize = 100;
/** The largest page a list answers. */
export const maxPageSize = 1000;

/** The page size a list request asks for: 0 means the default; larger than the maximum is capped. */
export function pageSizeOf(requested: number): number {
  if (requested < 0) throw invalidField("page_size", "must not be negative");
  return requested === 0 ? defaultPageSize : Math.min(requested, maxPageSize);
}

/** The entry id after which a numbered listing (audit, notifications) continues. */
export function afterIdOf(pageToken: string): number | undefined {
  if (pageToken === "") return undefined;
  const id = Number(pageToken);
  if (!Number.isSafeInteger(id) || id < 0) throw invalidField("page_token", "is not a token this server issued");
  return id;
}

/** The page token after a numbered page: the last id when the page was full, else empty. */
export function nextIdToken(ids: readonly number[], limit: number): string {
  return ids.length === limit ? String(ids[ids.length - 1]) : "";
}
