import type { Clock } from "../booking/clock.js";
import type { InventoryStore } from "../booking/inventory-store.js";
import { type FeedImportResult, importFeed } from "../feed/import-feed.js";

const day = 86_400;
const hour = 3_600;
const days = 14;

interface DemoEntry {
  merchant_id: string;
  service_id: string;
  at: number;
  duration_sec: number;
  spots_total: number;
  resources?: { staff_id?: string; room_id?: string; party_size?: number };
  confirmation_mode?: string;
}

const entries: DemoEntry[] = [
  ...[9, 10, 11, 13, 14, 15, 16].flatMap((h) =>
    ["alice", "bob"].map((staff) => ({
      merchant_id: "demo-salon",
      service_id: "haircut",
      at: h * hour,
      duration_sec: 1_800,
      spots_total: 1,
      resources: { staff_id: staff },
    })),
  ),
  ...[10, 14].map((h) => ({
    merchant_id: "demo-salon",
    service_id: "color-consultation",
    at: h * hour + 1_800,
    duration_sec: 2_700,
    spots_total: 1,
    resources: { staff_id: "alice" },
    confirmation_mode: "CONFIRMATION_MODE_ASYNCHRONOUS",
  })),
  ...[7, 18].map((h) => ({
    merchant_id: "demo-fitness",
    service_id: "yoga-class",
    at: h * hour,
    duration_sec: hour,
    spots_total: 10,
    resources: { room_id: "studio-1" },
  })),
  {
    merchant_id: "demo-fitness",
    service_id: "personal-training",
    at: 12 * hour,
    duration_sec: hour,
    spots_total: 1,
    resources: { staff_id: "coach-sam" },
  },
  ...[19, 19.5, 20, 20.5].flatMap((h) =>
    [2, 4, 6].map((party) => ({
      merchant_id: "demo-restaurant",
      service_id: "dinner",
      at: h * hour,
      duration_sec: 5_400,
      spots_total: party === 6 ? 1 : 3,
      resources: { party_size: party },
    })),
  ),
];

/** The demo availability feed: daily recurring slots for the 14 days from today (UTC), in Google's feed shape. */
export function buildDemoFeed(nowSec: number): object {
  const today = Math.floor(nowSec / day) * day;
  return {
    metadata: { processing_instruction: "PROCESS_AS_COMPLETE", shard_number: 0, total_shards: 1, nonce: "demo" },
    service_availability: [
      {
        availability: entries.map(({ at, ...entry }) => ({
          ...entry,
          start_sec: today + at,
          spots_open: entry.spots_total,
          recurrence: { repeat_until_sec: today + (days - 1) * day + at, repeat_every_sec: day },
        })),
      },
    ],
  };
}

/** The demo policies: overlap and booking limits at the salon, a cancellation window, one prepaid service. */
export function buildDemoPolicies(): object {
  return {
    merchants: [
      {
        merchant_id: "demo-salon",
        name: "Demo Salon",
        time_zone: "Europe/Paris",
        max_active_bookings_per_user: 3,
        forbid_overlapping: true,
      },
      { merchant_id: "demo-fitness", name: "Demo Fitness", time_zone: "Europe/Paris" },
      {
        merchant_id: "demo-restaurant",
        name: "Demo Restaurant",
        time_zone: "Europe/Paris",
        max_active_bookings_per_user: 2,
      },
    ],
    services: [
      { merchant_id: "demo-salon", service_id: "haircut", min_advance_cancellation_sec: 2 * hour },
      {
        merchant_id: "demo-fitness",
        service_id: "personal-training",
        min_advance_cancellation_sec: hour,
        prepayment: { price_micros: 40_000_000, currency_code: "EUR" },
        refund_window_sec: day,
      },
    ],
  };
}

/** Loads the demo inventory through the feed import, only into a database that has no slots yet. */
export async function loadDemoInventory(
  inventory: InventoryStore,
  clock: Clock,
): Promise<FeedImportResult | undefined> {
  if (!(await inventory.isEmpty())) return undefined;
  const nowSec = clock.nowSec();
  return importFeed(
    inventory,
    {
      feedFile: "demo-feed.json",
      feedText: JSON.stringify(buildDemoFeed(nowSec), null, 2),
      policiesFile: "demo-policies.json",
      policiesText: JSON.stringify(buildDemoPolicies(), null, 2),
    },
    { nowSec },
  );
}
