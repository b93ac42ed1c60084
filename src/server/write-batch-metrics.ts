import { Counter, type Registry } from "prom-client";
import type { WriteBatchStats } from "../contract/write-batch-stats.js";

/**
 * Registers `booking_server_write_transactions_total` and `booking_server_writes_total`, read from the
 * storage's write queue on each scrape. Their rates' quotient is how many writes share a commit (and
 * its fsync) under the current load; a storage without a write queue (PostgreSQL) reports neither.
 */
export function createWriteBatchMetrics(registry: Registry, writeBatches: () => WriteBatchStats | undefined): void {
  const counter = (name: string, field: keyof WriteBatchStats, help: string) => {
    // The queue counts from its start; each scrape adds what was counted since the last one.
    let seen = 0;
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const now = writeBatches()?.[field];
        if (now === undefined) return;
        this.inc(now - seen);
        seen = now;
      },
    });
  };
  counter(
    "booking_server_write_transactions_total",
    "transactions",
    "Write transactions the embedded database committed; each groups the writes that arrived together.",
  );
  counter(
    "booking_server_writes_total",
    "writes",
    "Writes committed, each in its own savepoint of a write transaction.",
  );
}
