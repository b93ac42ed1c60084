import type { BusyInterval } from "./inventory.js";

/** A manual block about to be stored: an interval in which a merchant, staff member or room takes no bookings. */
export interface NewManualBlock extends BusyInterval {
  note: string;
}

/** A stored manual block. */
export interface StoredManualBlock extends NewManualBlock {
  blockId: string;
}
