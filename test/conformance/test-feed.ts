import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FakeSlot } from "./fake-booking-core.js";

const hour = 3600;

/** An availability feed and the inventory a server loaded from it would hold. */
export interface TestFeed {
  readonly feed: unknown;
  readonly inventory: FakeSlot[];
}

/**
 * A feed two days after `nowSec`: a recurring haircut with staff (2 spots, one hour cut out by a
 * schedule exception), group classes written with int64 strings (3 spots), a past and a full slot.
 */
export function makeTestFeed(nowSec: number): TestFeed {
  const base = Math.floor(nowSec / 86400) * 86400 + 2 * 86400 + 9 * hour;
  const haircut = { merchantId: "salon-1", serviceId: "haircut", durationSec: hour, spotsTotal: 2, staffId: "alice" };
  const inventory: FakeSlot[] = [];
  for (let i = 0; i < 16; i++) if (i !== 4) inventory.push({ ...haircut, startSec: base + i * hour });
  const classStarts = [0, 2, 4, 6].map((h) => base + h * hour);
  for (const startSec of classStarts) {
    inventory.push({ merchantId: "gym-2", serviceId: "yoga", startSec, durationSec: 5400, spotsTotal: 3 });
  }
  const feed = {
    metadata: { processing_instruction: "PROCESS_AS_COMPLETE", shard_number: 0, total_shards: 1 },
    service_availability: [
      {
        availability: [
          {
            merchant_id: "salon-1",
            service_id: "haircut",
            start_sec: base,
            duration_sec: hour,
            spots_total: 2,
            spots_open: 2,
            availability_tag: "",
            resources: { staff_id: "alice" },
            recurrence: { repeat_until_sec: base + 15 * hour, repeat_every_sec: hour },
            schedule_exception: [{ time_range: { begin_sec: base + 4 * hour, end_sec: base + 5 * hour } }],
          },
          {
            merchant_id: "salon-1",
            service_id: "haircut",
            start_sec: nowSec - hour,
            duration_sec: hour,
            spots_total: 2,
            spots_open: 2,
            resources: { staff_id: "alice" },
          },
          {
            merchant_id: "salon-1",
            service_id: "haircut",
            start_sec: base,
            duration_sec: hour,
            spots_total: 1,
            spots_open: 0,
            resources: { staff_id: "bob" },
          },
        ],
      },
      {
        availability: classStarts.map((start) => ({
          merchant_id: "gym-2",
          service_id: "yoga",
          start_sec: String(start),
          duration_sec: "5400",
          spots_total: "3",
          confirmation_mode: "CONFIRMATION_MODE_SYNCHRONOUS",
        })),
      },
    ],
  };
  return { feed, inventory };
}

/** A temporary directory for feed and report files, removed by `remove()`. */
export async function makeScratchDir(): Promise<{
  path: string;
  write(name: string, data: unknown): Promise<string>;
  remove(): Promise<void>;
}> {
  const path = await mkdtemp(join(tmpdir(), "conformance-"));
  return {
    path,
    async write(name, data) {
      const file = join(path, name);
      await writeFile(file, typeof data === "string" ? data : JSON.stringify(data));
      return file;
    },
    remove: () => rm(path, { recursive: true, force: true }),
  };
}
