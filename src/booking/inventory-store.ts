import type { BusyInterval, InventorySlot, MerchantPolicy, OfferedSlot, ServicePolicy } from "./inventory.js";

/** A time range of one service whose future slots a feed replaces. */
export interface ReplacedRange {
  merchantId: string;
  serviceId: string;
  fromSec: number;
  toSec: number;
}

/** Everything one feed import writes, in one transaction. */
export interface InventoryImport {
  /** A complete feed also withdraws the future slots of every service it does not mention. */
  complete: boolean;
  /** Merchants and services to create or overwrite (from a policies file); others get defaults once. */
  merchants: MerchantPolicy[];
  services: ServicePolicy[];
  ranges: ReplacedRange[];
  slots: OfferedSlot[];
  nowSec: number;
  onProgress?: (done: number, total: number) => void;
}

/** What an import changed. */
export interface ImportReport {
  merchants: number;
  services: number;
  inserted: number;
  updated: number;
  /** Future slots out of the feed but kept, not bookable, for the bookings that hold them. */
  withdrawn: number;
  deleted: number;
  skippedPast: number;
}

/**
 * The inventory port: what feed import and export, the demo loader and policies need. An import is one
 * transaction that never touches a booking: a slot with bookings that leaves the feed stays (not in the
 * feed, not bookable) so its bookings keep their slot, and `spotsExternal` becomes what the feed says is
 * taken beyond this server's bookings.
 */
export interface InventoryStore {
  importInventory(plan: InventoryImport): Promise<ImportReport>;
  /** Every slot still in the feed that starts after nowSec, ordered by merchant, service and start. */
  listFutureSlots(nowSec: number): Promise<InventorySlot[]>;
  /** True when the store holds no slot at all (a fresh install). */
  isEmpty(): Promise<boolean>;
  /** Busy intervals of a merchant overlapping [fromSec, toSec). */
  busyIntervals(merchantId: string, fromSec: number, toSec: number): Promise<BusyInterval[]>;
}
