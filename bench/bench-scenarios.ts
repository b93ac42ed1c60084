import type { BenchOptions } from "./bench-options.js";
import type { LoadProtocol } from "./load-job.js";
import type { RequestKind } from "./request-source.js";

/** Which server a row measures: ours, or one of the transport ceilings. */
export type BenchServer = "booking" | "grpc-js" | "node-http";

/** Which seeded bookings a row draws on. */
export type SeedPool = "cancel" | "list-bookings" | "list-users";

/** One row of the throughput table. */
export interface ScenarioRow {
  /** `kind/protocol[@server][/cN]`, what `--only` matches. */
  id: string;
  scenario: string;
  protocol: LoadProtocol;
  /**
   * Our server, or a ceiling in its own process: a plain grpc-js server (gRPC in Node) or a bare
   * node:http JSON route (HTTP/1.1 JSON in Node).
   */
  server: BenchServer;
  kind: RequestKind;
  slotTimes?: number;
  concurrency: number;
  /** Server processes on one database sharing the load (PostgreSQL only); 1 for most rows. */
  replicas: number;
  pool?: SeedPool;
  /** The no-op every other row of the same protocol and replica count is compared with. */
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
  /** On PostgreSQL, also measured with two replicas on the same database (a row beside this one). */
  replicated?: boolean;
  /** Also measured on the bare node:http server answering the same requests (REST only). */
  nodeHttpCeiling?: boolean;
}

/** Server processes of the replicated rows. */
export const replicaCount = 2;

const templates: RowTemplate[] = [
  {
    scenario: "HealthCheck (no-op baseline)",
    kind: "health",
    protocols: ["rest", "connect-json", "grpc"],
    quickProtocols: ["rest", "grpc"],
    replicated: true,
  },
  {
    scenario: "CreateBooking, fresh token",
    kind: "create-fresh",
    protocols: ["rest", "connect-json", "grpc"],
    quickProtocols: ["rest", "grpc"],
    replicated: true,
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
    replicated: true,
    nodeHttpCeiling: true,
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

/**
 * The rows of a run, baselines first; on PostgreSQL each replicated row is followed by its two-replica
 * twin (`…/r2`). `--only` filters them (the baselines of the kept rows stay).
 */
export function benchScenarios(options: BenchOptions): ScenarioRow[] {
  const rows: ScenarioRow[] = [];
  for (const template of templates) {
    const concurrency = template.concurrency ?? options.concurrency;
    const replicaCounts = template.replicated && options.backend === "postgres" ? [1, replicaCount] : [1];
    for (const protocol of options.quick ? template.quickProtocols : template.protocols) {
      const suffix = template.slotTimes ? `x${template.slotTimes}` : "";
      const cSuffix = template.concurrency ? `/c${concurrency}` : "";
      for (const replicas of replicaCounts) {
        rows.push({
          id: `${template.kind}${suffix}/${protocol}${cSuffix}${replicas > 1 ? `/r${replicas}` : ""}`,
          scenario: template.scenario,
          protocol,
          server: "booking",
          kind: template.kind,
          ...(template.slotTimes ? { slotTimes: template.slotTimes } : {}),
          ...(template.pool ? { pool: template.pool } : {}),
          concurrency,
          replicas,
          baseline: template.kind === "health",
        });
      }
      if (template.kind === "health" && protocol === "rest") {
        rows.push({
          id: "health/rest@node-http",
          scenario: "POST JSON on a bare node:http server (ceiling)",
          protocol,
          server: "node-http",
          kind: "health",
          concurrency,
          replicas: 1,
          baseline: false,
        });
      }
      if (template.nodeHttpCeiling && protocol === "rest") {
        rows.push({
          id: `${template.kind}${suffix}/rest@node-http`,
          scenario: `${template.scenario}, JSON.parse and JSON.stringify on a bare node:http server (ceiling)`,
          protocol,
          server: "node-http",
          kind: template.kind,
          ...(template.slotTimes ? { slotTimes: template.slotTimes } : {}),
          concurrency,
          replicas: 1,
          baseline: false,
        });
      }
      if (template.kind === "health" && protocol === "grpc") {
        rows.push({
          id: "health/grpc@grpc-js",
          scenario: "HealthCheck on a plain grpc-js server (ceiling)",
          protocol,
          server: "grpc-js",
          kind: "health",
          concurrency,
          replicas: 1,
          baseline: false,
        });
      }
    }
  }
  const only = options.only;
  if (!only) return rows;
  const kept = rows.filter((row) => only.test(row.id));
  const baselineKeys = new Set(kept.map(baselineKeyOf));
  return rows.filter((row) => kept.includes(row) || (row.baseline && baselineKeys.has(baselineKeyOf(row))));
}

/** Rows with the same key are compared with the same no-op: same protocol, same number of replicas. */
export function baselineKeyOf(row: Pick<ScenarioRow, "protocol" | "replicas">): string {
  return `${row.protocol}/${row.replicas}`;
}
