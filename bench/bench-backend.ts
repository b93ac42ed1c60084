import { join } from "node:path";
import type { BenchInventory } from "./bench-inventory.js";
import type { BenchBackendKind } from "./bench-options.js";
import { startBenchPostgres } from "./embedded-postgres.js";
import { type SeedPlan, seedBulkBookings, seedDatabase } from "./seed-database.js";
import { seedStorage, seedStorageBulk } from "./seed-storage.js";

/** Where the server under test keeps its data, and how a phase gets a seeded database there. */
export interface BenchBackend {
  kind: BenchBackendKind;
  /** For the report: `sqlite`, or `postgres <version> (embedded)`. */
  name: string;
  /** One line for the log: where the data lives. */
  description: string;
  /** A fresh, empty database: a file under the run's temporary directory, or a `postgres://` URL. */
  createDatabase(name: string): Promise<string>;
  /** The inventory and the seeded bookings (seedDatabase's plan). */
  seed(db: string, inventory: BenchInventory, plan: SeedPlan, nowSec: number): Promise<void>;
  /** Bulk bookings `from`…`to - 1` of the scaling phase. */
  seedBulk(db: string, inventory: BenchInventory, from: number, to: number, nowSec: number): Promise<void>;
  /** CPU time (ms) of a separate database server so far; absent when the database lives in the server process. */
  cpuMs?: () => number;
  /** Stops what the backend started and removes its files. */
  stop(): Promise<void>;
}

/**
 * SQLite: files in `tmpDir`, rows written straight into the file (fast enough for 1M bookings).
 * PostgreSQL: an embedded server started now, seeded through the storage ports.
 */
export async function startBenchBackend(kind: BenchBackendKind, tmpDir: string): Promise<BenchBackend> {
  if (kind === "sqlite") {
    return {
      kind,
      name: "sqlite",
      description: `SQLite files in ${tmpDir}`,
      createDatabase: async (name) => join(tmpDir, `${name}.db`),
      seed: async (db, inventory, plan, nowSec) => seedDatabase(db, inventory, plan, nowSec),
      seedBulk: async (db, inventory, from, to, nowSec) => seedBulkBookings(db, inventory, from, to, nowSec),
      stop: async () => undefined,
    };
  }
  const postgres = await startBenchPostgres();
  return {
    kind,
    name: `postgres ${postgres.version} (embedded)`,
    description: `embedded PostgreSQL on 127.0.0.1:${postgres.port}, data in ${postgres.dir}`,
    createDatabase: (name) => postgres.createDatabase(`bench_${name}`),
    seed: seedStorage,
    seedBulk: seedStorageBulk,
    cpuMs: postgres.cpuMs,
    stop: postgres.stop,
  };
}
