import type { ResourceKind } from "../../booking/inventory.js";
import type { TimeRange } from "../../calendar/busy-rules.js";
import type { ManualBlock } from "../../calendar/calendar-store.js";
import { type BusyIntervalRow, type BusySource, linkRefRange } from "../rows/busy-interval-row.js";
import type { Sql } from "./postgres-pool.js";

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

const blockColumns = "source_ref, merchant_id, resource_kind, resource_id, start_sec, end_sec, note";

/** busy_interval for blocks and calendar sync, inside the caller's transaction. */
export function busyIntervalTable(sql: Sql) {
  return {
    async upsert(row: BusyIntervalRow): Promise<void> {
      await sql.run(
        `INSERT INTO busy_interval (merchant_id, resource_kind, resource_id, start_sec, end_sec, source, source_ref, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (source, source_ref) DO UPDATE SET merchant_id = excluded.merchant_id,
           resource_kind = excluded.resource_kind, resource_id = excluded.resource_id,
           start_sec = excluded.start_sec, end_sec = excluded.end_sec, note = excluded.note`,
        [
          row.merchantId,
          row.resourceKind,
          row.resourceId,
          row.startSec,
          row.endSec,
          row.source,
          row.sourceRef,
          row.note,
        ],
      );
    },
    async remove(source: BusySource, sourceRef: string): Promise<boolean> {
      return (
        (await sql.run("DELETE FROM busy_interval WHERE source = $1 AND source_ref = $2", [source, sourceRef])) > 0
      );
    },
    /** The ranges of one link's intervals, by source_ref. */
    async linkRanges(linkId: number): Promise<Map<string, TimeRange>> {
      const rows = await sql.rows<{ source_ref: string; start_sec: number; end_sec: number }>(
        `SELECT source_ref, start_sec, end_sec FROM busy_interval
          WHERE source = 'calendar' AND source_ref >= $1 AND source_ref < $2`,
        linkRefRange(linkId),
      );
      return new Map(rows.map((row) => [row.source_ref, { startSec: row.start_sec, endSec: row.end_sec }]));
    },
    removeLinkRows: (linkId: number): Promise<number> =>
      sql.run("DELETE FROM busy_interval WHERE source = 'calendar' AND source_ref >= $1 AND source_ref < $2", [
        ...linkRefRange(linkId),
      ]),
    async countLinkRows(linkId: number): Promise<number> {
      const row = await sql.row<{ n: number }>(
        "SELECT count(*) AS n FROM busy_interval WHERE source = 'calendar' AND source_ref >= $1 AND source_ref < $2",
        linkRefRange(linkId),
      );
      return row?.n ?? 0;
    },
    /** Removes a manual block; answers it as it was, or undefined when there was none. */
    async removeBlock(blockId: string): Promise<ManualBlock | undefined> {
      const row = await sql.row<BlockRow>(
        `DELETE FROM busy_interval WHERE source = 'block' AND source_ref = $1 RETURNING ${blockColumns}`,
        [blockId],
      );
      return row ? blockFromRow(row) : undefined;
    },
    async listBlocks(merchantId?: string): Promise<ManualBlock[]> {
      const rows =
        merchantId === undefined
          ? await sql.rows<BlockRow>(
              `SELECT ${blockColumns} FROM busy_interval WHERE source = 'block'
                ORDER BY merchant_id COLLATE "C", start_sec, source_ref`,
            )
          : await sql.rows<BlockRow>(
              `SELECT ${blockColumns} FROM busy_interval WHERE source = 'block' AND merchant_id = $1
                ORDER BY start_sec, source_ref`,
              [merchantId],
            );
      return rows.map(blockFromRow);
    },
  };
}
