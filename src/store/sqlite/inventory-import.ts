import type { ImportReport, InventoryImport } from "../../booking/inventory-store.js";
import type { SqliteDatabase } from "./open-database.js";

const farFuture = Number.MAX_SAFE_INTEGER;

/**
 * Applies a feed in one IMMEDIATE transaction: upserts merchants and services, replaces the future slots
 * of the replaced ranges, and never touches a booking. A slot with bookings that leaves the feed stays
 * (in_feed = 0) so its bookings keep their slot; `spots_external` is recomputed as what the feed says is
 * taken beyond this server's bookings.
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
  const withdraw = db.prepare<[number, string, string, number, number]>(
    `UPDATE slot SET in_feed = 0 WHERE start_sec > ? AND merchant_id = ? AND service_id = ?
       AND start_sec >= ? AND start_sec < ?`,
  );
  const ensureMerchant = db.prepare<[string]>("INSERT OR IGNORE INTO merchant (merchant_id) VALUES (?)");
  const ensureService = db.prepare<[string, string]>(
    "INSERT OR IGNORE INTO service (merchant_id, service_id) VALUES (?, ?)",
  );
  const withdrawUnmentioned = db.prepare<[number]>("UPDATE slot SET in_feed = 0 WHERE start_sec > ?");
  const existing = db.prepare<Record<string, unknown>, { slot_id: number }>(
    `SELECT slot_id FROM slot WHERE merchant_id = @merchantId AND service_id = @serviceId AND start_sec = @startSec
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
    if (plan.complete) withdrawUnmentioned.run(nowSec);
    for (const r of plan.ranges)
      withdraw.run(nowSec, r.merchantId, r.serviceId, r.fromSec, Math.min(r.toSec, farFuture));
    const report: ImportReport = {
      merchants: plan.merchants.length,
      services: plan.services.length,
      inserted: 0,
      updated: 0,
      withdrawn: 0,
      deleted: 0,
      skippedPast: 0,
    };
    plan.slots.forEach((slot, index) => {
      if (index % 10_000 === 0) plan.onProgress?.(index, plan.slots.length);
      if (slot.startSec <= nowSec) {
        report.skippedPast += 1;
        return;
      }
      const found = existing.get({ ...slot });
      if (found) {
        update.run({ ...slot, slotId: found.slot_id });
        report.updated += 1;
      } else {
        insert.run({ ...slot });
        report.inserted += 1;
      }
    });
    plan.onProgress?.(plan.slots.length, plan.slots.length);
    report.deleted = deleteUnbooked.run(nowSec).changes;
    report.withdrawn = countWithdrawn.get(nowSec) ?? 0;
    return report;
  });
  return run.immediate();
}
