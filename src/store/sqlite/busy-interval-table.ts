import type { ResourceKind } from "../../booking/inventory.js";
import type { TimeRange } from "../../calendar/busy-rules.js";
import type { ManualBlock } from "../../calendar/calendar-store.js";
import { type BusyIntervalRow, type BusySource, linkRefRange } from "../rows/busy-interval-row.js";
import type { SqliteDatabase } from "./open-database.js";

interface RangeRow {
  source_ref: string;
  start_sec: number;
  end_sec: number;
}

interface BlockRow {
  source_ref: string;
  merchant_id: string;
  resource_kind: ResourceKind;
  resource_id: string;
  start_sec: number;
  end_sec: number;
  note: string;
}

const blockFromRow = (row: BlockRow): ManualBlock => ({
  blockId: row.source_ref,
  merchantId: row.merchant_id,
  resourceKind: row.resource_kind,
  resourceId: row.resource_id,
  startSec: row.start_sec,
  endSec: row.end_sec,
  note: row.note,
});

/** Prepared statements over busy_interval for blocks and calendar sync, prepared once per connection. */
export function createBusyIntervalTable(db: SqliteDatabase) {
  const upsert = db.prepare<[BusyIntervalRow]>(
    `INSERT INTO busy_interval (merchant_id, resource_kind, resource_id, start_sec, end_sec, source, source_ref, note)
     VALUES (@merchantId, @resourceKind, @resourceId, @startSec, @endSec, @source, @sourceRef, @note)
     ON CONFLICT (source, source_ref) DO UPDATE SET merchant_id = excluded.merchant_id,
       resource_kind = excluded.resource_kind, resource_id = excluded.resource_id,
       start_sec = excluded.start_sec, end_sec = excluded.end_sec, note = excluded.note`,
  );
  const remove = db.prepare<[BusySource, string]>("DELETE FROM busy_interval WHERE source = ? AND source_ref = ?");
  const linkRows = db.prepare<[string, string], RangeRow>(
    `SELECT source_ref, start_sec, end_sec FROM busy_interval
      WHERE source = 'calendar' AND source_ref >= ? AND source_ref < ?`,
  );
  const removeLinkRows = db.prepare<[string, string]>(
    "DELETE FROM busy_interval WHERE source = 'calendar' AND source_ref >= ? AND source_ref < ?",
  );
  const countLinkRows = db
    .prepare<[string, string], number>(
      "SELECT count(*) FROM busy_interval WHERE source = 'calendar' AND source_ref >= ? AND source_ref < ?",
    )
    .pluck();
  const blockColumns = "source_ref, merchant_id, resource_kind, resource_id, start_sec, end_sec, note";
  const block = db.prepare<[string], BlockRow>(
    `SELECT ${blockColumns} FROM busy_interval WHERE source = 'block' AND source_ref = ?`,
  );
  const blocks = db.prepare<[], BlockRow>(
    `SELECT ${blockColumns} FROM busy_interval WHERE source = 'block' ORDER BY merchant_id, start_sec, source_ref`,
  );
  const blocksOf = db.prepare<[string], BlockRow>(
    `SELECT ${blockColumns} FROM busy_interval WHERE source = 'block' AND merchant_id = ?
      ORDER BY start_sec, source_ref`,
  );

  return {
    upsert(row: BusyIntervalRow): void {
      upsert.run(row);
    },
    remove(source: BusySource, sourceRef: string): boolean {
      return remove.run(source, sourceRef).changes > 0;
    },
    /** The ranges of one link's intervals, by source_ref. */
    linkRanges(linkId: number): Map<string, TimeRange> {
      const ranges = new Map<string, TimeRange>();
      for (const row of linkRows.all(...linkRefRange(linkId))) {
        ranges.set(row.source_ref, { startSec: row.start_sec, endSec: row.end_sec });
      }
      return ranges;
    },
    removeLinkRows(linkId: number): number {
      return removeLinkRows.run(...linkRefRange(linkId)).changes;
    },
    countLinkRows(linkId: number): number {
      return countLinkRows.get(...linkRefRange(linkId)) ?? 0;
    },
    getBlock(blockId: string): ManualBlock | undefined {
      const row = block.get(blockId);
      return row ? blockFromRow(row) : undefined;
    },
    listBlocks(merchantId?: string): ManualBlock[] {
      return (merchantId === undefined ? blocks.all() : blocksOf.all(merchantId)).map(blockFromRow);
    },
  };
}
