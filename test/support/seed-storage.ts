import type { Clock } from "../../src/booking/clock.js";
import { importFeed } from "../../src/feed/import-feed.js";
import type { Storage } from "../../src/store/storage.js";

/** A manual block, as the tests name it. */
export interface TestBlock {
  merchantId: string;
  kind: "merchant" | "staff" | "room";
  resourceId?: string;
  startSec: number;
  endSec: number;
}

/** Imports a feed object (and policies) through the inventory port, at the clock's now. */
export function importTestFeed(storage: Storage, clock: Clock, feed: object, policies?: object) {
  return importFeed(
    storage.inventory,
    {
      feedFile: "feed.json",
      feedText: JSON.stringify(feed, null, 2),
      ...(policies ? { policiesFile: "policies.json", policiesText: JSON.stringify(policies, null, 2) } : {}),
    },
    { nowSec: clock.nowSec() },
  );
}

/** Adds a manual block through the calendar port. */
export async function addTestBlock(storage: Storage, clock: Clock, b: TestBlock): Promise<void> {
  await storage.calendar.addBlock(
    {
      merchantId: b.merchantId,
      resourceKind: b.kind,
      resourceId: b.resourceId ?? "",
      startSec: b.startSec,
      endSec: b.endSec,
      note: "",
    },
    clock.nowSec(),
  );
}
