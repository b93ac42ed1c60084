import type { BusyResource } from "./calendar-link.js";

/** A command-line option that cannot be used; the command prints it with its usage and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The resource named by `--merchant M [--staff S | --room R]`. */
export function parseBusyResource(values: { merchant?: string; staff?: string; room?: string }): BusyResource {
  const merchantId = values.merchant?.trim();
  if (!merchantId) throw new UsageError("--merchant is required");
  if (values.staff !== undefined && values.room !== undefined)
    throw new UsageError("--staff and --room exclude each other");
  if (values.staff !== undefined) {
    if (!values.staff.trim()) throw new UsageError("--staff needs an id");
    return { merchantId, resourceKind: "staff", resourceId: values.staff.trim() };
  }
  if (values.room !== undefined) {
    if (!values.room.trim()) throw new UsageError("--room needs an id");
    return { merchantId, resourceKind: "room", resourceId: values.room.trim() };
  }
  return { merchantId, resourceKind: "merchant", resourceId: "" };
}

/**
 * Seconds since the epoch of an ISO 8601 instant with an explicit offset (`2030-03-10T09:00:00-05:00`
 * or `...Z`); a bare local time is refused, since it would depend on this machine's zone.
 */
export function parseInstantSec(text: string | undefined, flag: string): number {
  if (!text) throw new UsageError(`${flag} is required`);
  const withOffset = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;
  const ms = withOffset.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms))
    throw new UsageError(`${flag} must be an ISO 8601 time with an offset, e.g. 2030-03-10T09:00:00-05:00`);
  return Math.floor(ms / 1000);
}

/** A link id from the command line. */
export function parseLinkId(text: string | undefined): number {
  const id = Number(text);
  if (!text || !Number.isSafeInteger(id) || id <= 0) throw new UsageError(`not a link id: ${text ?? "(none)"}`);
  return id;
}
