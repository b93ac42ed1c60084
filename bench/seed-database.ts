import { openDatabase, type SqliteDatabase } from "../src/store/sqlite/open-database.js";
import {
  type BenchInventory,
  benchCaller,
  benchServiceId,
  bookingsPerListUser,
  listUserOf,
  merchantIdOf,
  seededPrefix,
  slotAt,
  slotStartOf,
} from "./bench-inventory.js";

/** What to put into a fresh benchmark database besides the inventory. */
export interface SeedPlan {
  /** Bookings `bc-0`… that the UpdateBooking scenario cancels, one each. */
  cancelPool: number;
  /** Users `list-user-0`… holding `bookingsPerListUser` bookings each. */
  listUsers: number;
}

const batchRows = 50_000;

/** Creates the schema (through the store's own migrations), the inventory and the seeded bookings. */
export function seedDatabase(path: string, inventory: BenchInventory, plan: SeedPlan, nowSec: number): void {
  const db = openForSeeding(path);
  try {
    const merchant = db.prepare("INSERT INTO merchant (merchant_id, name) VALUES (?, ?)");
    const service = db.prepare("INSERT INTO service (merchant_id, service_id) VALUES (?, ?)");
    const slot = db.prepare(
      `INSERT INTO slot (slot_id, merchant_id, service_id, start_sec, duration_sec, spots_total, confirmation_mode)
       VALUES (?, ?, ?, ?, ?, ?, 'SYNCHRONOUS')`,
    );
    db.transaction(() => {
      for (let m = 0; m < inventory.merchants; m++) {
        const merchantId = merchantIdOf(m);
        merchant.run(merchantId, `Merchant ${m}`);
        service.run(merchantId, benchServiceId);
        for (let s = 0; s < inventory.slotsPerMerchant; s++) {
          slot.run(
            slotIdOf(inventory, m, s),
            merchantId,
            benchServiceId,
            slotStartOf(inventory, s),
            inventory.durationSec,
            inventory.spotsTotal,
          );
        }
      }
    })();
    insertBookings(db, inventory, nowSec, plan.cancelPool, (n) => cancelPoolBooking(inventory, n));
    insertBookings(db, inventory, nowSec, plan.listUsers * bookingsPerListUser, (n) => listUserBooking(inventory, n));
  } finally {
    finishSeeding(db);
  }
}

/** Adds bulk bookings `bs-from`…`bs-(to-1)` (four per user, spread over all slots) to grow the database. */
export function seedBulkBookings(path: string, inventory: BenchInventory, from: number, to: number, nowSec: number) {
  const db = openForSeeding(path);
  try {
    insertBookings(db, inventory, nowSec, to - from, (k) => bulkBooking(inventory, from + k));
  } finally {
    finishSeeding(db);
  }
}

/** One seeded booking: its id, its user and the merchant and slot numbers it holds. */
export interface SeedBooking {
  bookingId: string;
  userId: string;
  merchant: number;
  slot: number;
}

/** The n-th booking of the cancel pool. */
export function cancelPoolBooking(inventory: BenchInventory, n: number): SeedBooking {
  return { bookingId: `${seededPrefix.cancel}${n}`, userId: `cancel-user-${n}`, ...slotAt(inventory, n) };
}

/** The n-th ListBookings booking: each list user's sit in distinct slots of one merchant, as a real user's would. */
export function listUserBooking(inventory: BenchInventory, n: number): SeedBooking {
  const u = Math.floor(n / bookingsPerListUser);
  return {
    bookingId: `${seededPrefix.list}${n}`,
    userId: listUserOf(u),
    merchant: u % inventory.merchants,
    slot: (n % bookingsPerListUser) % inventory.slotsPerMerchant,
  };
}

/** The n-th bulk booking of the scaling phase: four per user, spread over all slots. */
export function bulkBooking(inventory: BenchInventory, n: number): SeedBooking {
  return {
    bookingId: `${seededPrefix.bulk}${n}`,
    userId: `bulk-user-${Math.floor(n / 4)}`,
    ...slotAt(inventory, n * 7919),
  };
}

/** The user a seeded booking stores. */
export function seedUserOf(userId: string) {
  return { userId, givenName: "Bench", familyName: "User", telephone: "", email: "", languageCode: "en" };
}

function slotIdOf(inventory: BenchInventory, merchant: number, slot: number): number {
  return merchant * inventory.slotsPerMerchant + slot + 1;
}

/** Inserts bookings with their idempotency records, keeping every slot's spots_booked exact. */
function insertBookings(
  db: SqliteDatabase,
  inventory: BenchInventory,
  nowSec: number,
  count: number,
  make: (n: number) => SeedBooking,
): void {
  const booking = db.prepare(
    `INSERT INTO booking (booking_id, slot_id, merchant_id, user_id, caller, status, prepayment, user_json,
       created_sec, updated_sec) VALUES (?, ?, ?, ?, ?, 'CONFIRMED', 'NOT_PROVIDED', ?, ?, ?)`,
  );
  const record = db.prepare(
    `INSERT INTO idempotency_record (caller, token, fingerprint, booking_id, response, created_sec)
     VALUES (?, ?, 'seed', ?, X'00', ?)`,
  );
  const take = db.prepare("UPDATE slot SET spots_booked = spots_booked + ? WHERE slot_id = ?");
  const taken = new Map<number, number>();
  const batch = db.transaction((from: number, to: number) => {
    for (let n = from; n < to; n++) {
      const seed = make(n);
      const slotId = slotIdOf(inventory, seed.merchant, seed.slot);
      const user = seedUserOf(seed.userId);
      booking.run(
        seed.bookingId,
        slotId,
        merchantIdOf(seed.merchant),
        seed.userId,
        benchCaller,
        JSON.stringify(user),
        nowSec,
        nowSec,
      );
      record.run(benchCaller, `seed-${seed.bookingId}`, seed.bookingId, nowSec);
      taken.set(slotId, (taken.get(slotId) ?? 0) + 1);
    }
  });
  for (let from = 0; from < count; from += batchRows) batch(from, Math.min(count, from + batchRows));
  db.transaction(() => {
    for (const [slotId, spots] of taken) take.run(spots, slotId);
  })();
}

function openForSeeding(path: string): SqliteDatabase {
  const db = openDatabase(path, { synchronous: "NORMAL" });
  // Seeding is rebuilt from scratch on failure, so it needs no durability and may use more cache.
  db.pragma("synchronous = OFF");
  db.pragma("cache_size = -262144");
  return db;
}

function finishSeeding(db: SqliteDatabase): void {
  // The server starts with an empty WAL, as it would after a clean shutdown.
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}
