import type { BusyConflict } from "../../calendar/calendar-store.js";
import { activeStatuses, type ConflictRow, conflictFromRow, conflictSelect } from "../rows/busy-conflict-row.js";
import type { BusyIntervalRow, BusySource } from "../rows/busy-interval-row.js";
import type { Sql } from "./postgres-pool.js";

// Active, unfinished bookings of the interval's merchant and resource that it overlaps: the availability
// rule's own matching.
const overlapping = `SELECT b.booking_id FROM slot s JOIN booking b ON b.slot_id = s.slot_id
  WHERE s.merchant_id = $1 AND s.start_sec < $2 AND s.start_sec + s.duration_sec > $3
    AND s.start_sec + s.duration_sec > $4 AND b.status IN ${activeStatuses}
    AND ($5 = 'merchant' AND $6 = ''
      OR $5 = 'staff' AND s.staff_id = $6 AND s.staff_id != ''
      OR $5 = 'room' AND s.room_id = $6 AND s.room_id != '')
  ORDER BY s.start_sec, b.booking_id COLLATE "C"`;

/**
 * busy_conflict inside the caller's transaction. A conflict is open while its busy interval still
 * overlaps an active, unfinished booking of the same merchant and resource.
 */
export function busyConflictTable(sql: Sql) {
  const clearAll = (nowSec: number, source: BusySource, sourceRef: string) =>
    sql.run("UPDATE busy_conflict SET cleared_sec = $1 WHERE source = $2 AND source_ref = $3 AND cleared_sec IS NULL", [
      nowSec,
      source,
      sourceRef,
    ]);
  return {
    /** Opens conflicts for the bookings the interval now overlaps, clears the rest; returns the new ones. */
    async reconcile(interval: BusyIntervalRow, nowSec: number): Promise<BusyConflict[]> {
      const openRows = await sql.rows<{ booking_id: string }>(
        "SELECT booking_id FROM busy_conflict WHERE source = $1 AND source_ref = $2 AND cleared_sec IS NULL",
        [interval.source, interval.sourceRef],
      );
      const before = new Set(openRows.map((row) => row.booking_id));
      const nowRows = await sql.rows<{ booking_id: string }>(overlapping, [
        interval.merchantId,
        interval.endSec,
        interval.startSec,
        nowSec,
        interval.resourceKind,
        interval.resourceId,
      ]);
      const now = nowRows.map((row) => row.booking_id);
      const fresh: BusyConflict[] = [];
      for (const bookingId of before) {
        if (now.includes(bookingId)) continue;
        await sql.run(
          `UPDATE busy_conflict SET cleared_sec = $1
            WHERE source = $2 AND source_ref = $3 AND booking_id = $4 AND cleared_sec IS NULL`,
          [nowSec, interval.source, interval.sourceRef, bookingId],
        );
      }
      for (const bookingId of now) {
        await sql.run(
          `INSERT INTO busy_conflict (merchant_id, source, source_ref, booking_id, start_sec, end_sec, detected_sec)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (source, source_ref, booking_id) DO UPDATE SET start_sec = excluded.start_sec,
             end_sec = excluded.end_sec, detected_sec = CASE WHEN busy_conflict.cleared_sec IS NULL
               THEN busy_conflict.detected_sec ELSE excluded.detected_sec END, cleared_sec = NULL`,
          [
            interval.merchantId,
            interval.source,
            interval.sourceRef,
            bookingId,
            interval.startSec,
            interval.endSec,
            nowSec,
          ],
        );
        if (before.has(bookingId)) continue;
        const row = await sql.row<ConflictRow>(
          `${conflictSelect} WHERE c.source = $1 AND c.source_ref = $2 AND c.booking_id = $3`,
          [interval.source, interval.sourceRef, bookingId],
        );
        if (row) fresh.push(conflictFromRow(row));
      }
      return fresh;
    },
    async clear(source: BusySource, sourceRef: string, nowSec: number): Promise<void> {
      await clearAll(nowSec, source, sourceRef);
    },
    async removeInRange(range: [string, string]): Promise<void> {
      await sql.run(
        "DELETE FROM busy_conflict WHERE source = 'calendar' AND source_ref >= $1 AND source_ref < $2",
        range,
      );
    },
    async countOpenInRange(range: [string, string]): Promise<number> {
      const row = await sql.row<{ n: number }>(
        `SELECT count(*) AS n FROM busy_conflict c JOIN booking b ON b.booking_id = c.booking_id
          WHERE c.source = 'calendar' AND c.source_ref >= $1 AND c.source_ref < $2 AND c.cleared_sec IS NULL
            AND b.status IN ${activeStatuses}`,
        range,
      );
      return row?.n ?? 0;
    },
    async list(filter: { merchantId?: string; includeCleared?: boolean } = {}): Promise<BusyConflict[]> {
      const rows = await sql.rows<ConflictRow>(
        `${conflictSelect} WHERE ($1::text IS NULL OR c.merchant_id = $1)
           AND ($2::boolean OR (c.cleared_sec IS NULL AND b.status IN ${activeStatuses}))
          ORDER BY s.start_sec, c.conflict_id`,
        [filter.merchantId ?? null, filter.includeCleared === true],
      );
      return rows.map(conflictFromRow);
    },
  };
}
