import { readFile } from "node:fs/promises";
import { ConfirmationMode } from "../../gen/booking/partner/v3/slot_pb.js";

/** One bookable slot taken from an availability feed, after recurrences were expanded. */
export interface FeedSlot {
  readonly merchantId: string;
  readonly serviceId: string;
  readonly startSec: number;
  readonly durationSec: number;
  readonly spotsTotal: number;
  readonly spotsOpen: number;
  readonly availabilityTag: string;
  readonly staffId: string;
  readonly roomId: string;
  readonly partySize: number;
  readonly confirmationMode: ConfirmationMode;
}

/** A feed that cannot be read, with the JSON path of the offending value in the message. */
export class FeedError extends Error {
  override readonly name = "FeedError";
}

// Enough for any run; a recurrence every minute for a year would otherwise expand to 500k slots.
const maxOccurrencesPerEntry = 500;

const confirmationModes: Record<string, ConfirmationMode> = {
  CONFIRMATION_MODE_UNSPECIFIED: ConfirmationMode.UNSPECIFIED,
  CONFIRMATION_MODE_SYNCHRONOUS: ConfirmationMode.SYNCHRONOUS,
  CONFIRMATION_MODE_ASYNCHRONOUS: ConfirmationMode.ASYNCHRONOUS,
};

/** Reads a Google availability feed file and returns its future bookable slots, earliest first. */
export async function readAvailabilityFeed(path: string, notBeforeSec: number): Promise<FeedSlot[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new FeedError(`cannot read feed ${path}: ${error instanceof Error ? error.message : error}`);
  }
  let feed: unknown;
  try {
    feed = JSON.parse(text);
  } catch (error) {
    throw new FeedError(`feed ${path} is not JSON: ${error instanceof Error ? error.message : error}`);
  }
  return parseAvailabilityFeed(feed, notBeforeSec);
}

/**
 * Expands a parsed availability feed into slots starting at or after `notBeforeSec`: recurrences are
 * unrolled, slots touching a schedule exception and slots without open spots are dropped.
 */
export function parseAvailabilityFeed(feed: unknown, notBeforeSec: number): FeedSlot[] {
  const slots = new Map<string, FeedSlot>();
  const groups = arrayAt(objectAt(feed, "feed"), ["service_availability", "serviceAvailability"], "");
  groups.forEach((group, g) => {
    const groupPath = `service_availability[${g}]`;
    const entries = arrayAt(objectAt(group, groupPath), ["availability"], groupPath);
    entries.forEach((entry, a) => {
      for (const slot of expandEntry(
        objectAt(entry, `${groupPath}.availability[${a}]`),
        `${groupPath}.availability[${a}]`,
        notBeforeSec,
      )) {
        slots.set(slotKey(slot), slots.get(slotKey(slot)) ?? slot);
      }
    });
  });
  return [...slots.values()].sort((x, y) => x.startSec - y.startSec || slotKey(x).localeCompare(slotKey(y)));
}

/** A stable identity for a slot: merchant, service, time and resources. */
export function slotKey(slot: FeedSlot): string {
  return [
    slot.merchantId,
    slot.serviceId,
    slot.startSec,
    slot.durationSec,
    slot.staffId,
    slot.roomId,
    slot.partySize,
  ].join("|");
}

function expandEntry(entry: Record<string, unknown>, path: string, notBeforeSec: number): FeedSlot[] {
  const resources = optionalObject(entry, ["resources"], path);
  const spotsTotal = integerAt(entry, ["spots_total", "spotsTotal"], path, 1);
  const base: FeedSlot = {
    merchantId: stringAt(entry, ["merchant_id", "merchantId"], path),
    serviceId: stringAt(entry, ["service_id", "serviceId"], path),
    startSec: integerAt(entry, ["start_sec", "startSec"], path),
    durationSec: integerAt(entry, ["duration_sec", "durationSec"], path),
    spotsTotal,
    spotsOpen: integerAt(entry, ["spots_open", "spotsOpen"], path, spotsTotal),
    availabilityTag: stringAt(entry, ["availability_tag", "availabilityTag"], path, ""),
    staffId: stringAt(resources, ["staff_id", "staffId"], `${path}.resources`, ""),
    roomId: stringAt(resources, ["room_id", "roomId"], `${path}.resources`, ""),
    partySize: integerAt(resources, ["party_size", "partySize"], `${path}.resources`, 0),
    confirmationMode: confirmationModeAt(entry, path),
  };
  if (base.durationSec <= 0) throw new FeedError(`${path}.duration_sec: must be positive`);
  if (base.spotsOpen <= 0) return [];
  const exceptions = arrayAt(entry, ["schedule_exception", "scheduleException"], path, []).map((item, i) => {
    const itemPath = `${path}.schedule_exception[${i}]`;
    const rangePath = `${itemPath}.time_range`;
    const range = objectAt(pick(objectAt(item, itemPath), ["time_range", "timeRange"])[1], rangePath);
    return {
      begin: integerAt(range, ["begin_sec", "beginSec"], rangePath),
      end: integerAt(range, ["end_sec", "endSec"], rangePath),
    };
  });
  const starts = occurrences(
    base.startSec,
    optionalObject(entry, ["recurrence"], path),
    `${path}.recurrence`,
    notBeforeSec,
  );
  return starts
    .filter((start) => !exceptions.some((x) => start < x.end && x.begin < start + base.durationSec))
    .map((startSec) => ({ ...base, startSec }));
}

// Google's feed: occurrences at start, start + every, ... up to repeat_until_sec inclusive.
function occurrences(
  startSec: number,
  recurrence: Record<string, unknown>,
  path: string,
  notBeforeSec: number,
): number[] {
  if (Object.keys(recurrence).length === 0) return startSec >= notBeforeSec ? [startSec] : [];
  const until = integerAt(recurrence, ["repeat_until_sec", "repeatUntilSec"], path);
  const every = integerAt(recurrence, ["repeat_every_sec", "repeatEverySec"], path);
  if (every <= 0) throw new FeedError(`${path}.repeat_every_sec: must be positive`);
  const skipped = Math.max(0, Math.ceil((notBeforeSec - startSec) / every));
  const starts: number[] = [];
  for (let t = startSec + skipped * every; t <= until && starts.length < maxOccurrencesPerEntry; t += every) {
    starts.push(t);
  }
  return starts;
}

function confirmationModeAt(entry: Record<string, unknown>, path: string): ConfirmationMode {
  const value = entry.confirmation_mode ?? entry.confirmationMode;
  if (value === undefined) return ConfirmationMode.UNSPECIFIED;
  if (typeof value === "number" && value in ConfirmationMode) return value;
  if (typeof value === "string" && Object.hasOwn(confirmationModes, value))
    return confirmationModes[value] as ConfirmationMode;
  throw new FeedError(`${path}.confirmation_mode: unknown value ${JSON.stringify(value)}`);
}

function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new FeedError(`${path || "feed"}: expected an object`);
  }
  return value as Record<string, unknown>;
}

function pick(entry: Record<string, unknown>, names: readonly string[]): [string, unknown] {
  for (const name of names) if (entry[name] !== undefined) return [name, entry[name]];
  return [names[0] as string, undefined];
}

function optionalObject(
  entry: Record<string, unknown>,
  names: readonly string[],
  path: string,
): Record<string, unknown> {
  const [name, value] = pick(entry, names);
  return value === undefined ? {} : objectAt(value, `${path}.${name}`);
}

function arrayAt(
  entry: Record<string, unknown>,
  names: readonly string[],
  path: string,
  fallback?: unknown[],
): unknown[] {
  const [name, value] = pick(entry, names);
  if (value === undefined && fallback) return fallback;
  if (!Array.isArray(value)) throw new FeedError(`${path ? `${path}.` : ""}${name}: expected an array`);
  return value;
}

function stringAt(entry: Record<string, unknown>, names: readonly string[], path: string, fallback?: string): string {
  const [name, value] = pick(entry, names);
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== "string" || (value === "" && fallback === undefined)) {
    throw new FeedError(`${path}.${name}: expected a ${fallback === undefined ? "non-empty " : ""}string`);
  }
  return value;
}

// Feeds write int64 as JSON numbers or as decimal strings.
function integerAt(entry: Record<string, unknown>, names: readonly string[], path: string, fallback?: number): number {
  const [name, value] = pick(entry, names);
  if (value === undefined && fallback !== undefined) return fallback;
  const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isSafeInteger(number)) {
    throw new FeedError(`${path}.${name}: expected an integer, got ${JSON.stringify(value)}`);
  }
  return number;
}
