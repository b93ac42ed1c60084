import type { BenchOptions } from "./bench-options.js";
import type { LoadProtocol } from "./load-job.js";
import type { RequestKind } from "./request-source.js";

/** Which seeded bookings a row draws on. */
export type SeedPool = "cancel" | "list-bookings" | "list-users";

/** One row of the throughput table. */
export interface ScenarioRow {
  /** `kind/protocol[@server][/cN]`, what `--only` matches. */
  id: string;
  scenario: string;
  protocol: LoadProtocol;
  /** Our server, or the plain grpc-js server that gives the ceiling of gRPC in Node. */
  server: "booking" | "grpc-js";
  kind: RequestKind;
  slotTimes?: number;
  concurrency: number;
  pool?: SeedPool;
  /** The no-op every other row of the same protocol is compared with. */
  baseline: boolean;
}

interface RowTemplate {
  scenario: string;
  kind: RequestKind;
  slotTimes?: number;
  pool?: SeedPool;
  protocols: LoadProtocol[];
  quickProtocols: LoadProtocol[];
  /** A concurrency other than the run's, e.g. 1 to read the service time of one call. */
  concurrency?: number;
}

const templates: RowTemplate[] = [
  {
    scenario: "HealthCheck (no-op baseline)",
    kind: "health",
    protocols: ["rest", "connect-json", "grpc"],
    quickProtocols: ["rest", "grpc"],
  },
  {
    scenario: "CreateBooking, fresh token",
    kind: "create-fresh",
    protocols: ["rest", "connect-json", "grpc"],
    quickProtocols: ["rest", "grpc"],
  },
  {
    scenario: "CreateBooking, replay (same token)",
    kind: "create-replay",
    protocols: ["rest", "grpc"],
    quickProtocols: ["rest"],
  },
  {
    scenario: "UpdateBooking, cancel",
    kind: "cancel",
    pool: "cancel",
    protocols: ["rest", "grpc"],
    quickProtocols: ["rest"],
  },
  {
    scenario: "GetBookingStatus",
    kind: "get-status",
    pool: "list-bookings",
    protocols: ["rest", "grpc"],
    quickProtocols: ["rest"],
  },
  {
    scenario: "BatchAvailabilityLookup, 1 slot",
    kind: "batch-lookup",
    slotTimes: 1,
    protocols: ["rest", "grpc"],
    quickProtocols: [],
  },
  {
    scenario: "BatchAvailabilityLookup, 100 slots",
    kind: "batch-lookup",
    slotTimes: 100,
    protocols: ["rest", "grpc"],
    quickProtocols: ["rest"],
  },
  {
    scenario: "BatchAvailabilityLookup, 1,000 slots",
    kind: "batch-lookup",
    slotTimes: 1000,
    protocols: ["rest", "grpc"],
    quickProtocols: [],
  },
  {
    scenario: "BatchAvailabilityLookup, 1,000 slots",
    kind: "batch-lookup",
    slotTimes: 1000,
    protocols: ["rest", "grpc"],
    quickProtocols: ["rest"],
    concurrency: 1,
  },
  {
    scenario: "ListBookings, user with 100",
    kind: "list-bookings",
    pool: "list-users",
    protocols: ["rest", "grpc"],
    quickProtocols: ["rest"],
  },
];

/** The rows of a run, baselines first; `--only` filters them (baselines of the kept rows stay). */
export function benchScenarios(options: BenchOptions): ScenarioRow[] {
  const rows: ScenarioRow[] = [];
  for (const template of templates) {
    const concurrency = template.concurrency ?? options.concurrency;
    for (const protocol of options.quick ? template.quickProtocols : template.protocols) {
      const suffix = template.slotTimes ? `x${template.slotTimes}` : "";
      const cSuffix = template.concurrency ? `/c${concurrency}` : "";
      rows.push({
        id: `${template.kind}${suffix}/${protocol}${cSuffix}`,
        scenario: template.scenario,
        protocol,
        server: "booking",
        kind: template.kind,
        ...(template.slotTimes ? { slotTimes: template.slotTimes } : {}),
        ...(template.pool ? { pool: template.pool } : {}),
        concurrency,
        baseline: template.kind === "health",
      });
      if (template.kind === "health" && protocol === "grpc") {
        rows.push({
          id: "health/grpc@grpc-js",
          scenario: "HealthCheck on a plain grpc-js server (ceiling)",
          protocol,
          server: "grpc-js",
          kind: "health",
          concurrency,
          baseline: false,
        });
      }
    }
  }
  const only = options.only;
  if (!only) return rows;
  const kept = rows.filter((row) => only.test(row.id));
  const protocols = new Set(kept.map((row) => row.protocol));
  return rows.filter((row) => kept.includes(row) || (row.baseline && protocols.has(row.protocol)));
}
