/** The generated inventory every benchmark process agrees on: ids and times are derived, never stored. */
export interface BenchInventory {
  merchants: number;
  slotsPerMerchant: number;
  /** Start of every merchant's first slot, seconds since the epoch, well in the future. */
  firstStartSec: number;
  durationSec: number;
  /** Large, so that no scenario ever runs out of spots. */
  spotsTotal: number;
}

/** The one service every generated merchant offers. */
export const benchServiceId = "svc-1";

/** The credential user every benchmark call authenticates as. */
export const benchCaller = "bench";

/** The bookings seeded for the read and cancel scenarios, by id prefix. */
export const seededPrefix = { cancel: "bc-", list: "bl-", bulk: "bs-" } as const;

/** Bookings each ListBookings user holds. */
export const bookingsPerListUser = 100;

/** Describes an inventory of `merchants` × `slotsPerMerchant` half-hour slots starting tomorrow. */
export function createBenchInventory(merchants: number, slotsPerMerchant: number, nowSec: number): BenchInventory {
  const day = 86_400;
  return {
    merchants,
    slotsPerMerchant,
    firstStartSec: Math.ceil(nowSec / day) * day + day,
    durationSec: 1800,
    spotsTotal: 1_000_000,
  };
}

/** The id of merchant number `m` (0-based). */
export function merchantIdOf(m: number): string {
  return `m-${m}`;
}

/** Start of slot number `s` (0-based) of any merchant. */
export function slotStartOf(inventory: BenchInventory, s: number): number {
  return inventory.firstStartSec + s * inventory.durationSec;
}

/** The merchant and slot numbers of the `n`-th slot when slots are enumerated merchant-major. */
export function slotAt(inventory: BenchInventory, n: number): { merchant: number; slot: number } {
  const total = inventory.merchants * inventory.slotsPerMerchant;
  const k = ((n % total) + total) % total;
  return { merchant: Math.floor(k / inventory.slotsPerMerchant), slot: k % inventory.slotsPerMerchant };
}

/** The user who holds the `u`-th block of ListBookings bookings. */
export function listUserOf(u: number): string {
  return `list-user-${u}`;
}
