import type { MerchantPolicy, OfferedSlot } from "../src/booking/inventory.js";
import { openStorage } from "../src/store/open-storage.js";
import type { Storage } from "../src/store/storage.js";
import {
  type BenchInventory,
  benchCaller,
  benchServiceId,
  bookingsPerListUser,
  merchantIdOf,
  slotStartOf,
} from "./bench-inventory.js";
import {
  bulkBooking,
  cancelPoolBooking,
  listUserBooking,
  type SeedBooking,
  type SeedPlan,
  seedUserOf,
} from "./seed-database.js";

/** Bookings per write transaction, and write transactions in flight, while seeding. */
const bookingsPerWrite = 500;
const writesInFlight = 4;

/**
 * Seeds the same inventory and bookings as seedDatabase, through the storage ports (a feed import, then
 * write transactions that take each booking's spot, insert it and its idempotency record), so it works
 * on any backend `openStorage` opens; migrations run on open.
 */
export async function seedStorage(url: string, inventory: BenchInventory, plan: SeedPlan, nowSec: number) {
  const storage = await openStorage(url);
  try {
    await storage.inventory.importInventory({
      complete: true,
      merchants: Array.from({ length: inventory.merchants }, (_, m) => merchantPolicyOf(m)),
      services: [],
      ranges: [],
      slots: offeredSlots(inventory),
      nowSec,
    });
    const slotIdOf = await slotIds(storage, inventory, nowSec);
    await insertBookings(storage, slotIdOf, nowSec, plan.cancelPool, (n) => cancelPoolBooking(inventory, n));
    const listed = plan.listUsers * bookingsPerListUser;
    await insertBookings(storage, slotIdOf, nowSec, listed, (n) => listUserBooking(inventory, n));
  } finally {
    await storage.close();
  }
}

/** Adds bulk bookings `bs-from`…`bs-(to-1)` through the storage ports, as seedBulkBookings does in a file. */
export async function seedStorageBulk(
  url: string,
  inventory: BenchInventory,
  from: number,
  to: number,
  nowSec: number,
) {
  const storage = await openStorage(url);
  try {
    const slotIdOf = await slotIds(storage, inventory, nowSec);
    await insertBookings(storage, slotIdOf, nowSec, to - from, (k) => bulkBooking(inventory, from + k));
  } finally {
    await storage.close();
  }
}

function merchantPolicyOf(m: number): MerchantPolicy {
  return {
    merchantId: merchantIdOf(m),
    name: `Merchant ${m}`,
    timeZone: "UTC",
    maxActiveBookingsPerUser: 0,
    forbidOverlapping: false,
  };
}

function offeredSlots(inventory: BenchInventory): OfferedSlot[] {
  const slots: OfferedSlot[] = [];
  for (let m = 0; m < inventory.merchants; m++) {
    for (let s = 0; s < inventory.slotsPerMerchant; s++) {
      slots.push({
        merchantId: merchantIdOf(m),
        serviceId: benchServiceId,
        startSec: slotStartOf(inventory, s),
        durationSec: inventory.durationSec,
        staffId: "",
        roomId: "",
        partySize: 0,
        spotsTotal: inventory.spotsTotal,
        spotsOpen: inventory.spotsTotal,
        confirmationMode: "SYNCHRONOUS",
        availabilityTag: "",
      });
    }
  }
  return slots;
}

/** The store's id of slot `slot` of merchant `merchant` (ids are the database's, unlike the file seed's). */
async function slotIds(storage: Storage, inventory: BenchInventory, nowSec: number) {
  const ids = new Map<string, number>();
  for (const slot of await storage.inventory.listFutureSlots(nowSec)) {
    ids.set(`${slot.merchantId} ${slot.startSec}`, slot.slotId);
  }
  return (merchant: number, slot: number): number => {
    const id = ids.get(`${merchantIdOf(merchant)} ${slotStartOf(inventory, slot)}`);
    if (id === undefined) throw new Error(`no slot ${slot} of merchant ${merchant}`);
    return id;
  };
}

/** Inserts `count` bookings, a few write transactions at a time; each takes its slots in id order (no deadlocks). */
async function insertBookings(
  storage: Storage,
  slotIdOf: (merchant: number, slot: number) => number,
  nowSec: number,
  count: number,
  make: (n: number) => SeedBooking,
): Promise<void> {
  let next = 0;
  const writeChunks = async (): Promise<void> => {
    while (next < count) {
      const from = next;
      next = Math.min(count, from + bookingsPerWrite);
      const chunk: { seed: SeedBooking; slotId: number }[] = [];
      for (let n = from; n < next; n++) {
        const seed = make(n);
        chunk.push({ seed, slotId: slotIdOf(seed.merchant, seed.slot) });
      }
      chunk.sort((a, b) => a.slotId - b.slotId);
      await storage.bookings.write(async (writer) => {
        for (const { seed, slotId } of chunk) {
          if (!(await writer.takeSpot(slotId))) throw new Error(`slot ${slotId} is full`);
          await writer.insertBooking({
            bookingId: seed.bookingId,
            slotId,
            caller: benchCaller,
            user: seedUserOf(seed.userId),
            status: "CONFIRMED",
            payment: { prepayment: "NOT_PROVIDED", transactionId: "" },
            nowSec,
          });
          await writer.insertIdempotencyRecord({
            caller: benchCaller,
            token: `seed-${seed.bookingId}`,
            fingerprint: "seed",
            bookingId: seed.bookingId,
            response: new Uint8Array([0]),
            createdSec: nowSec,
          });
        }
      });
    }
  };
  await Promise.all(Array.from({ length: writesInFlight }, writeChunks));
}
