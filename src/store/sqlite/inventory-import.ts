import type { OfferedSlot } from "../../booking/inventory.js";
import type { ImportReport, InventoryImport } from "../../booking/inventory-store.js";
import type { SqliteDatabase } from "./open-database.js";

const farFuture = Number.MAX_SAFE_INTEGER;

/** What an import compares a feed slot with. */
interface ExistingSlot {
  slot_id: number;
  spots_total: number;
  spots_external: number;
  spots_booked: number;
  confirmation_mode: string;
  availability_tag: string;
  in_feed: number;
}

/** True when writing the feed's slot over the row would change nothing (see the update statement). */
function unchanged(row: ExistingSlot, slot: OfferedSlot): boolean {
  return (
    row.in_feed === 1 &&
    row.spots_total === slot.spotsTotal &&
    row.spots_external === Math.max(0, slot.spotsTotal - slot.spotsOpen - row.spots_booked) &&
    row.confirmation_mode === slot.confirmationMode &&
    row.availability_tag === slot.availabilityTag
  );
}

/**
 * Applies a feed in one IMMEDIATE transaction: upserts merchants and services, replaces the future slots
 * of the replaced ranges, and never touches a booking. A slot with bookings that leaves the feed stays
 * (in_feed = 0) so its bookings keep their slot; `spots_external` is recomputed as what the feed says is
 * taken beyond this server's bookings.
 *
 * The feed's slots are written first and only where they differ from the row, then the future slots of
 * the replaced ranges that the feed did not offer are withdrawn: a re-import of an unchanged feed writes
 * no slot row, and fires none of the availability triggers.
 */
export function importInventory(db: SqliteDatabase, plan: InventoryImport): ImportReport {
  const upsertMerchant = db.prepare(
    `INSERT INTO merchant (merchant_id, name, time_zone, max_active_bookings_per_user, forbid_overlapping)
     VALUES (@merchantId, @name, @timeZone, @maxActiveBookingsPerUser, @forbidOverlapping)
     ON CONFLICT (merchant_id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone,
       max_active_bookings_per_user = excluded.max_active_bookings_per_user,
       forbid_overlapping = excluded.forbid_overlapping`,
  );
  const upsertService = db.prepare(
    `INSERT INTO service (merchant_id, service_id, min_advance_cancellation_sec, prepayment_price_micros,
       prepayment_currency_code, refund_window_sec)
     VALUES (@merchantId, @serviceId, @minAdvanceCancellationSec, @priceMicros, @currencyCode, @refundWindowSec)
     ON CONFLICT (merchant_id, service_id) DO UPDATE SET
       min_advance_cancellation_sec = excluded.min_advance_cancellation_sec,
       prepayment_price_micros = excluded.prepayment_price_micros,
       prepayment_currency_code = excluded.prepayment_currency_code, refund_window_sec = excluded.refund_window_sec`,
  );
  const offeredInRange = db
    .prepare<[number, string, string, number, number], number>(
      `SELECT slot_id FROM slot WHERE in_feed = 1 AND start_sec > ? AND merchant_id = ? AND service_id = ?
         AND start_sec >= ? AND start_sec < ?`,
    )
    .pluck();
  const offeredFuture = db
    .prepare<[number], number>("SELECT slot_id FROM slot WHERE in_feed = 1 AND start_sec > ?")
    .pluck();
  const withdraw = db.prepare<[number]>("UPDATE slot SET in_feed = 0 WHERE slot_id = ?");
  const ensureMerchant = db.prepare<[string]>("INSERT OR IGNORE INTO merchant (merchant_id) VALUES (?)");
  const ensureService = db.prepare<[string, string]>(
    "INSERT OR IGNORE INTO service (merchant_id, service_id) VALUES (?, ?)",
  );
  const existing = db.prepare<Record<string, unknown>, ExistingSlot>(
    `SELECT slot_id, spots_total, spots_external, spots_booked, confirmation_mode, availability_tag, in_feed
       FROM slot WHERE merchant_id = @merchantId AND service_id = @serviceId AND start_sec = @startSec
       AND staff_id = @staffId AND room_id = @roomId AND party_size = @partySize AND duration_sec = @durationSec`,
  );
  const insert = db.prepare(
    `INSERT INTO slot (merchant_id, service_id, start_sec, duration_sec, staff_id, room_id, party_size,
       spots_total, spots_external, confirmation_mode, availability_tag)
     VALUES (@merchantId, @serviceId, @startSec, @durationSec, @staffId, @roomId, @partySize,
       @spotsTotal, MAX(0, @spotsTotal - @spotsOpen), @confirmationMode, @availabilityTag)`,
  );
  const update = db.prepare(
    `UPDATE slot SET spots_total = @spotsTotal, spots_external = MAX(0, @spotsTotal - @spotsOpen - spots_booked),
       confirmation_mode = @confirmationMode, availability_tag = @availabilityTag, in_feed = 1
     WHERE slot_id = @slotId`,
  );
  const countWithdrawn = db
    .prepare<[number], number>("SELECT COUNT(*) FROM slot WHERE in_feed = 0 AND start_sec > ?")
    .pluck();
  const deleteUnbooked = db.prepare<[number]>(
    `DELETE FROM slot WHERE in_feed = 0 AND start_sec > ?
       AND NOT EXISTS (SELECT 1 FROM booking b WHERE b.slot_id = slot.slot_id)`,
  );

  const run = db.transaction((): ImportReport => {
    const { nowSec } = plan;
    const ensured = new Set<string>();
    for (const { merchantId, serviceId } of [...plan.services, ...plan.slots]) {
      const key = JSON.stringify([merchantId, serviceId]);
      if (ensured.has(key)) continue;
      ensured.add(key);
      ensureMerchant.run(merchantId);
      ensureService.run(merchantId, serviceId);
    }
    for (const m of plan.merchants) upsertMerchant.run({ ...m, forbidOverlapping: m.forbidOverlapping ? 1 : 0 });
    for (const s of plan.services) {
      upsertService.run({
        ...s,
        priceMicros: s.prepayment?.priceMicros ?? null,
        currencyCode: s.prepayment?.currencyCode ?? null,
      });
    }
    const report: ImportReport = {
      merchants: plan.merchants.length,
      services: plan.services.length,
      inserted: 0,
      updated: 0,
      withdrawn: 0,
      deleted: 0,
      skippedPast: 0,
    };
    // The slots this feed offers, by id: the replaced ranges lose every other future slot.
    const offered = new Set<number>();
    plan.slots.forEach((slot, index) => {
      if (index % 10_000 === 0) plan.onProgress?.(index, plan.slots.length);
      if (slot.startSec <= nowSec) {
        report.skippedPast += 1;
        return;
      }
      const found = existing.get({ ...slot });
      if (found) {
        if (!unchanged(found, slot)) update.run({ ...slot, slotId: found.slot_id });
        offered.add(found.slot_id);
        report.updated += 1;
      } else {
        offered.add(Number(insert.run({ ...slot }).lastInsertRowid));
        report.inserted += 1;
      }
    });
    const replaced = plan.complete
      ? offeredFuture.all(nowSec)
      : plan.ranges.flatMap((r) =>
          offeredInRange.all(nowSec, r.merchantId, r.serviceId, r.fromSec, Math.min(r.toSec, farFuture)),
        );
    for (const slotId of replaced) if (!offered.has(slotId)) withdraw.run(slotId);
    plan.onProgress?.(plan.slots.length, plan.slots.length);
    report.deleted = deleteUnbooked.run(nowSec).changes;
    report.withdrawn = countWithdrawn.get(nowSec) ?? 0;
    return report;
  });
  return run.immediate();
}
