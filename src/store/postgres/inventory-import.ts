import type { OfferedSlot } from "../../booking/inventory.js";
import type { ImportReport, InventoryImport } from "../../booking/inventory-store.js";
import { lockUntilCommit } from "./advisory-lock.js";
import type { Sql } from "./postgres-pool.js";

/** Slots per upsert statement: one round trip each, parameters passed as arrays. */
const chunkSize = 5_000;

// spots_external is what the feed says is taken beyond this server's bookings: total - open on insert,
// less the spots this server's bookings already hold on update (the same arithmetic as SQLite's import).
const upsertSlots = `INSERT INTO slot (merchant_id, service_id, start_sec, duration_sec, staff_id, room_id, party_size,
    spots_total, spots_external, confirmation_mode, availability_tag)
  SELECT m, sv, st, d, sf, r, p, t, greatest(0, t - o), c, a
  FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::int[], $8::int[],
    $9::int[], $10::text[], $11::text[]) AS f (m, sv, st, d, sf, r, p, t, o, c, a)
  ON CONFLICT (merchant_id, service_id, start_sec, staff_id, room_id, party_size, duration_sec) DO UPDATE SET
    spots_total = excluded.spots_total, spots_external = greatest(0, excluded.spots_external - slot.spots_booked),
    confirmation_mode = excluded.confirmation_mode, availability_tag = excluded.availability_tag, in_feed = 1
  RETURNING (xmax = 0) AS inserted`;

/**
 * Applies a feed in the caller's transaction: upserts merchants and services, replaces the future slots of
 * the replaced ranges, and never touches a booking. A slot with bookings that leaves the feed stays
 * (in_feed = 0) so its bookings keep their slot. Imports queue on an advisory lock, one at a time.
 */
export async function importInventory(sql: Sql, plan: InventoryImport): Promise<ImportReport> {
  const { nowSec } = plan;
  // An import is an operator's batch: neither its statements nor its wait for another import's lock
  // should be cut short by the per-statement limit meant for calls.
  await sql.run("SET LOCAL statement_timeout = 0");
  await lockUntilCommit(sql, "inventory");
  const pairs = new Map<string, [string, string]>();
  for (const { merchantId, serviceId } of [...plan.services, ...plan.slots]) {
    pairs.set(JSON.stringify([merchantId, serviceId]), [merchantId, serviceId]);
  }
  const ensured = [...pairs.values()];
  await sql.run("INSERT INTO merchant (merchant_id) SELECT DISTINCT unnest($1::text[]) ON CONFLICT DO NOTHING", [
    ensured.map(([merchantId]) => merchantId),
  ]);
  await sql.run(
    "INSERT INTO service (merchant_id, service_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING",
    [ensured.map(([merchantId]) => merchantId), ensured.map(([, serviceId]) => serviceId)],
  );
  for (const m of plan.merchants) {
    await sql.run(
      `INSERT INTO merchant (merchant_id, name, time_zone, max_active_bookings_per_user, forbid_overlapping)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (merchant_id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone,
         max_active_bookings_per_user = excluded.max_active_bookings_per_user,
         forbid_overlapping = excluded.forbid_overlapping`,
      [m.merchantId, m.name, m.timeZone, m.maxActiveBookingsPerUser, m.forbidOverlapping ? 1 : 0],
    );
  }
  for (const s of plan.services) {
    await sql.run(
      `INSERT INTO service (merchant_id, service_id, min_advance_cancellation_sec, prepayment_price_micros,
         prepayment_currency_code, refund_window_sec)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (merchant_id, service_id) DO UPDATE SET
         min_advance_cancellation_sec = excluded.min_advance_cancellation_sec,
         prepayment_price_micros = excluded.prepayment_price_micros,
         prepayment_currency_code = excluded.prepayment_currency_code, refund_window_sec = excluded.refund_window_sec`,
      [
        s.merchantId,
        s.serviceId,
        s.minAdvanceCancellationSec,
        s.prepayment?.priceMicros ?? null,
        s.prepayment?.currencyCode ?? null,
        s.refundWindowSec,
      ],
    );
  }
  if (plan.complete) await sql.run("UPDATE slot SET in_feed = 0 WHERE start_sec > $1", [nowSec]);
  for (const r of plan.ranges) {
    await sql.run(
      `UPDATE slot SET in_feed = 0 WHERE start_sec > $1 AND merchant_id = $2 AND service_id = $3
         AND start_sec >= $4 AND start_sec < $5`,
      [nowSec, r.merchantId, r.serviceId, r.fromSec, Math.min(r.toSec, Number.MAX_SAFE_INTEGER)],
    );
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
  const future = plan.slots.filter((slot) => slot.startSec > nowSec);
  report.skippedPast = plan.slots.length - future.length;
  let done = 0;
  for (const chunk of chunksOfDistinctSlots(future)) {
    plan.onProgress?.(done, future.length);
    const rows = await sql.rows<{ inserted: boolean }>(upsertSlots, slotColumns(chunk));
    for (const row of rows) report[row.inserted ? "inserted" : "updated"] += 1;
    done += chunk.length;
  }
  plan.onProgress?.(plan.slots.length, plan.slots.length);
  report.deleted = await sql.run(
    `DELETE FROM slot WHERE in_feed = 0 AND start_sec > $1
       AND NOT EXISTS (SELECT 1 FROM booking b WHERE b.slot_id = slot.slot_id)`,
    [nowSec],
  );
  const withdrawn = await sql.row<{ n: number }>(
    "SELECT COUNT(*) AS n FROM slot WHERE in_feed = 0 AND start_sec > $1",
    [nowSec],
  );
  report.withdrawn = withdrawn?.n ?? 0;
  return report;
}

/**
 * Chunks of at most chunkSize slots with no key twice in one chunk: one statement cannot upsert a row
 * twice, and a feed that lists a slot twice means "insert, then update", as it does for SQLite.
 */
function* chunksOfDistinctSlots(slots: readonly OfferedSlot[]): Generator<OfferedSlot[]> {
  let chunk: OfferedSlot[] = [];
  let keys = new Set<string>();
  for (const slot of slots) {
    const key = [slot.merchantId, slot.serviceId, slot.startSec, slot.staffId, slot.roomId, slot.partySize]
      .concat(slot.durationSec)
      .join("\u0000");
    if (chunk.length >= chunkSize || keys.has(key)) {
      yield chunk;
      chunk = [];
      keys = new Set();
    }
    chunk.push(slot);
    keys.add(key);
  }
  if (chunk.length > 0) yield chunk;
}

function slotColumns(chunk: readonly OfferedSlot[]): unknown[] {
  const column = <K extends keyof OfferedSlot>(key: K) => chunk.map((slot) => slot[key]);
  return [
    column("merchantId"),
    column("serviceId"),
    column("startSec"),
    column("durationSec"),
    column("staffId"),
    column("roomId"),
    column("partySize"),
    column("spotsTotal"),
    column("spotsOpen"),
    column("confirmationMode"),
    column("availabilityTag"),
  ];
}
