import type { BusyConflict } from "../../calendar/calendar-store.js";
import { activeStatuses, type ConflictRow, conflictFromRow, conflictSelect } from "../rows/busy-conflict-row.js";
import type { BusyIntervalRow, BusySource } from "../rows/busy-interval-row.js";
import type { SqliteDatabase } from "./open-database.js";

interface OverlapRow {
  booking_id: string;
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
