import type { BusyConflict } from "../../calendar/calendar-store.js";
import type { BusyIntervalRow, BusySource } from "./busy-interval-table.js";
import type { SqliteDatabase } from "./open-database.js";

interface OverlapRow {
  booking_id: string;
}

interface ConflictRow {
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

const activeStatuses = "('CONFIRMED', 'PENDING_MERCHANT_CONFIRMATION')";

const conflictSelect = `SELECT c.conflict_id, c.merchant_id, c.source, c.source_ref, c.booking_id,
  b.status AS booking_status, s.service_id, s.staff_id, s.room_id, s.start_sec AS slot_start_sec,
  s.duration_sec AS slot_duration_sec, c.start_sec, c.end_sec, c.detected_sec, c.cleared_sec
  FROM busy_conflict c JOIN booking b ON b.booking_id = c.booking_id JOIN slot s ON s.slot_id = b.slot_id`;

function conflictFromRow(row: ConflictRow): BusyConflict {
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

/**
 * Prepared statements over busy_conflict. A conflict is open while its busy interval still overlaps an
 * active, unfinished booking of the same merchant and resource (the availability rule's own matching).
 */
export function createBusyIntervalConflictTable(db: SqliteDatabase) {
  const overlapping = db.prepare<[BusyIntervalRow & { nowSec: number }], OverlapRow>(
    `SELECT b.booking_id FROM slot s JOIN booking b ON b.slot_id = s.slot_id
      WHERE s.merchant_id = @merchantId AND s.start_sec < @endSec AND s.start_sec + s.duration_sec > @startSec
        AND s.start_sec + s.duration_sec > @nowSec AND b.status IN ${activeStatuses}
        AND (@resourceKind = 'merchant' AND @resourceId = ''
          OR @resourceKind = 'staff' AND s.staff_id = @resourceId AND s.staff_id != ''
          OR @resourceKind = 'room' AND s.room_id = @resourceId AND s.room_id != '')
      ORDER BY s.start_sec, b.booking_id`,
  );
  const open = db
    .prepare<[BusySource, string], string>(
      "SELECT booking_id FROM busy_conflict WHERE source = ? AND source_ref = ? AND cleared_sec IS NULL",
    )
    .pluck();
  const record = db.prepare(
    `INSERT INTO busy_conflict (merchant_id, source, source_ref, booking_id, start_sec, end_sec, detected_sec)
     VALUES (@merchantId, @source, @sourceRef, @bookingId, @startSec, @endSec, @nowSec)
     ON CONFLICT (source, source_ref, booking_id) DO UPDATE SET start_sec = excluded.start_sec,
       end_sec = excluded.end_sec, detected_sec = CASE WHEN cleared_sec IS NULL THEN detected_sec
         ELSE excluded.detected_sec END, cleared_sec = NULL`,
  );
  const clearOne = db.prepare<[number, BusySource, string, string]>(
    `UPDATE busy_conflict SET cleared_sec = ?
      WHERE source = ? AND source_ref = ? AND booking_id = ? AND cleared_sec IS NULL`,
  );
  const clearAll = db.prepare<[number, BusySource, string]>(
    "UPDATE busy_conflict SET cleared_sec = ? WHERE source = ? AND source_ref = ? AND cleared_sec IS NULL",
  );
  const removeRange = db.prepare<[string, string]>(
    "DELETE FROM busy_conflict WHERE source = 'calendar' AND source_ref >= ? AND source_ref < ?",
  );
  const byRef = db.prepare<[BusySource, string, string], ConflictRow>(
    `${conflictSelect} WHERE c.source = ? AND c.source_ref = ? AND c.booking_id = ?`,
  );
  const list = db.prepare<{ merchantId: string | null; includeCleared: number }, ConflictRow>(
    `${conflictSelect} WHERE (@merchantId IS NULL OR c.merchant_id = @merchantId)
       AND (@includeCleared = 1 OR (c.cleared_sec IS NULL AND b.status IN ${activeStatuses}))
      ORDER BY s.start_sec, c.conflict_id`,
  );
  const countOpenInRange = db
    .prepare<[string, string], number>(
      `SELECT count(*) FROM busy_conflict c JOIN booking b ON b.booking_id = c.booking_id
        WHERE c.source = 'calendar' AND c.source_ref >= ? AND c.source_ref < ? AND c.cleared_sec IS NULL
          AND b.status IN ${activeStatuses}`,
    )
    .pluck();

  return {
    /** Opens conflicts for the bookings the interval now overlaps, clears the rest; returns the new ones. */
    reconcile(interval: BusyIntervalRow, nowSec: number): BusyConflict[] {
      const before = new Set(open.all(interval.source, interval.sourceRef));
      const now = overlapping.all({ ...interval, nowSec }).map((row) => row.booking_id);
      const fresh: BusyConflict[] = [];
      for (const bookingId of before) {
        if (!now.includes(bookingId)) clearOne.run(nowSec, interval.source, interval.sourceRef, bookingId);
      }
      for (const bookingId of now) {
        record.run({ ...interval, bookingId, nowSec });
        const row = before.has(bookingId) ? undefined : byRef.get(interval.source, interval.sourceRef, bookingId);
        if (row) fresh.push(conflictFromRow(row));
      }
      return fresh;
    },
    clear(source: BusySource, sourceRef: string, nowSec: number): void {
      clearAll.run(nowSec, source, sourceRef);
    },
    removeInRange(range: [string, string]): void {
      removeRange.run(...range);
    },
    countOpenInRange(range: [string, string]): number {
      return countOpenInRange.get(...range) ?? 0;
    },
    list(filter: { merchantId?: string; includeCleared?: boolean } = {}): BusyConflict[] {
      return list
        .all({ merchantId: filter.merchantId ?? null, includeCleared: filter.includeCleared ? 1 : 0 })
        .map(conflictFromRow);
    },
  };
}
