import { Counter, Gauge, type Registry } from "prom-client";
import type { NotificationOutbox } from "../booking/notification-outbox.js";

/** What the delivery worker counts. */
export interface NotifyMetrics {
  attempt(kind: string, outcome: "delivered" | "retry" | "failed"): void;
}

/**
 * Registers the outbox metrics: `booking_server_rtu_queue_depth{state}` (read from the store on each
 * scrape, so it is the cluster's queue, not this replica's) and `booking_server_rtu_attempts_total`.
 */
export function createNotifyMetrics(registry: Registry, outbox: NotificationOutbox): NotifyMetrics {
  new Gauge({
    name: "booking_server_rtu_queue_depth",
    help: "Real-time updates waiting for delivery (pending) or refused by the aggregator (failed)",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      const depth = await outbox.depth();
      this.set({ state: "pending" }, depth.pending);
      this.set({ state: "failed" }, depth.failed);
    },
  });
  const attempts = new Counter({
    name: "booking_server_rtu_attempts_total",
    help: "Delivery attempts of real-time updates by kind (booking, availability) and outcome",
    labelNames: ["kind", "outcome"],
    registers: [registry],
  });
  return { attempt: (kind, outcome) => attempts.inc({ kind, outcome }) };
}
