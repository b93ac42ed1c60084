import type { BusyConflict } from "../../calendar/calendar-store.js";
import type { BusySource } from "./busy-interval-row.js";

/** A busy_conflict row joined with its booking and slot. */
export interface ConflictRow {
  conflict_id: number;
  merchant_id: string;
  source: BusySource;
  source_ref: string;
  booking_id: string;
  booking_status: string;
  service_id: string;
  staff_id: string;
  room_id: string;
  slot_start_sec: number;
  slot_duration_sec: number;
  start_sec: number;
  end_sec: number;
  detected_sec: number;
  cleared_sec: number | null;
}

/** The booking statuses that hold a spot, as an SQL list. */
export const activeStatuses = "('CONFIRMED', 'PENDING_MERCHANT_CONFIRMATION')";

/** The SELECT of a conflict with its booking (b) and slot (s). */
export const conflictSelect = `SELECT c.conflict_id, c.merchant_id, c.source, c.source_ref, c.booking_id,
  b.status AS booking_status, s.service_id, s.staff_id, s.room_id, s.start_sec AS slot_start_sec,
  s.duration_sec AS slot_duration_sec, c.start_sec, c.end_sec, c.detected_sec, c.cleared_sec
  FROM busy_conflict c JOIN booking b ON b.booking_id = c.booking_id JOIN slot s ON s.slot_id = b.slot_id`;

/** The domain conflict of a row. */
export function conflictFromRow(row: ConflictRow): BusyConflict {
  const conflict: BusyConflict = {
    conflictId: row.conflict_id,
    merchantId: row.merchant_id,
    source: row.source,
    sourceRef: row.source_ref,
    bookingId: row.booking_id,
    bookingStatus: row.booking_status,
    serviceId: row.service_id,
    staffId: row.staff_id,
    roomId: row.room_id,
    slotStartSec: row.slot_start_sec,
    slotDurationSec: row.slot_duration_sec,
    busyStartSec: row.start_sec,
    busyEndSec: row.end_sec,
    detectedSec: row.detected_sec,
  };
  if (row.cleared_sec !== null) conflict.clearedSec = row.cleared_sec;
  return conflict;
}
