import type { ImportReport, InventoryImport, InventoryStore, ReplacedRange } from "../booking/inventory-store.js";
import { expandAvailability } from "./expand-availability.js";
import { FeedRejectedError } from "./feed-issues.js";
import { type JsonNode, JsonSyntaxError, parseJsonWithPositions } from "./json-with-positions.js";
import type { AvailabilityFeed } from "./read-availability-feed.js";
import { readAvailabilityFeed } from "./read-availability-feed.js";
import { type Policies, readPolicies } from "./read-policies-file.js";

/** A feed (and optional policies file) to import, as text with the names used in error messages. */
export interface FeedImportSource {
  feedFile: string;
  feedText: string;
  policiesFile?: string;
  policiesText?: string;
}

/** What an import loaded: the feed's shape and the store's changes. */
export interface FeedImportResult extends ImportReport {
  processingInstruction: AvailabilityFeed["processingInstruction"];
  entries: number;
  slots: number;
}

/**
 * Validates a feed and its policies completely, then applies them in one transaction. A bad file
 * throws FeedRejectedError with line-precise issues and changes nothing.
 */
export async function importFeed(
  inventory: InventoryStore,
  source: FeedImportSource,
  options: { nowSec: number; onProgress?: (done: number, total: number) => void },
): Promise<FeedImportResult> {
  const feedRoot = parseOrReject(source.feedFile, source.feedText);
  const { feed, issues } = readAvailabilityFeed(feedRoot);
  if (!feed) throw new FeedRejectedError(source.feedFile, issues);
  const expanded = expandAvailability(feed.serviceAvailability);
  if (expanded.issues.length > 0) throw new FeedRejectedError(source.feedFile, expanded.issues);

  let policies: Policies = { merchants: [], services: [] };
  if (source.policiesText !== undefined) {
    const file = source.policiesFile ?? "policies";
    const read = readPolicies(parseOrReject(file, source.policiesText));
    if (!read.policies) throw new FeedRejectedError(file, read.issues);
    policies = read.policies;
  }

  const ranges: ReplacedRange[] = [];
  for (const block of feed.serviceAvailability) {
    const services = new Map(block.availability.map((a) => [`${a.merchantId}\u0000${a.serviceId}`, a]));
    for (const { merchantId, serviceId } of services.values()) {
      ranges.push({
        merchantId,
        serviceId,
        fromSec: block.startTimeRestrict ?? 0,
        toSec: block.endTimeRestrict ?? Number.MAX_SAFE_INTEGER,
      });
    }
  }
  const plan: InventoryImport = {
    complete: feed.processingInstruction === "PROCESS_AS_COMPLETE",
    merchants: policies.merchants,
    services: policies.services,
    ranges,
    slots: expanded.slots,
    nowSec: options.nowSec,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  const report = await inventory.importInventory(plan);
  return {
    ...report,
    processingInstruction: feed.processingInstruction,
    entries: feed.serviceAvailability.reduce((n, block) => n + block.availability.length, 0),
    slots: expanded.slots.length,
  };
}

function parseOrReject(file: string, text: string): JsonNode {
  try {
    return parseJsonWithPositions(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) {
      const message = error.message.replace(/^\d+:\d+: /, "");
      throw new FeedRejectedError(file, [{ line: error.line, column: error.column, path: "", message }]);
    }
    throw error;
  }
}
