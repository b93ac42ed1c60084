import { parseArgs } from "node:util";

/** Storage backends a run can measure. */
export type BenchBackendKind = "sqlite" | "postgres";

/** How big, how long and what a benchmark run measures. */
export interface BenchOptions {
  quick: boolean;
  /** The storage the server runs on: a SQLite file, or an embedded PostgreSQL started for the run. */
  backend: BenchBackendKind;
  merchants: number;
  slotsPerMerchant: number;
  /** Connections (HTTP/1.1) or calls in flight (gRPC) of the throughput rows. */
  concurrency: number;
  warmupSec: number;
  durationSec: number;
  /** Rounds of every throughput row, interleaved; the median round is reported. */
  repeat: number;
  /** Booking counts the scaling phase grows the database through; empty skips the phase. */
  scalingSizes: number[];
  scalingDurationSec: number;
  /** Runs only the rows whose id matches (e.g. `grpc`, `create-fresh/rest`). */
  only?: RegExp;
  /** Writes a V8 CPU profile of each server process into the results directory. */
  cpuProfile: boolean;
  outDir: string;
  logLevel: string;
  /** Free text stored with the results (e.g. "before group commit"). */
  label: string;
}

export const benchUsage = `Usage: npm run bench -- [options]

Starts booking-server as a child process on a generated inventory in a temporary SQLite file (or an
embedded PostgreSQL), drives it from separate load-generator processes on 127.0.0.1, prints one table
and writes JSON results.

  --quick              under a minute: fewer rows, short runs, small sizes
  --backend NAME       sqlite (default): a temporary database file; postgres: an embedded PostgreSQL
                       started for the run (removed at exit), plus rows with 2 server replicas
  --merchants N        merchants in the inventory (default 100; quick 10)
  --slots N            slots per merchant (default 1000; at least 1000 for the 1,000-slot lookup)
  --concurrency N      connections / gRPC calls in flight (default 50)
  --warmup S           seconds of load before measuring (default 1; quick 0.5)
  --duration S         seconds measured per row (default 4; quick 2)
  --repeat N           run every row N times, interleaved, and report the median round (the
                       lower middle one for an even N; default 3; quick 1)
  --sizes A,B,C        bookings for the scaling phase (default 1000,100000,1000000; quick 1000,10000)
  --no-scaling         skip the scaling phase
  --only REGEX         run only rows whose id matches, e.g. 'health|create-fresh/grpc'
  --cpu-prof           write a .cpuprofile of the server (node --cpu-prof) next to the results
  --out DIR            results directory (default bench/results)
  --log-level LEVEL    server log level (default info; logs go to /dev/null)
  --label TEXT         stored in the JSON, to tell runs apart
  -h, --help           this text
`;

const positive = (value: string | undefined, fallback: number, name: string): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got '${value}'`);
  return n;
};

/** Parses `npm run bench -- …` arguments; returns undefined when help was asked for. */
export function parseBenchOptions(argv: string[]): BenchOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      backend: { type: "string" },
      merchants: { type: "string" },
      slots: { type: "string" },
      concurrency: { type: "string" },
      warmup: { type: "string" },
      duration: { type: "string" },
      repeat: { type: "string" },
      sizes: { type: "string" },
      "no-scaling": { type: "boolean", default: false },
      only: { type: "string" },
      "cpu-prof": { type: "boolean", default: false },
      out: { type: "string" },
      "log-level": { type: "string" },
      label: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return undefined;
  const quick = values.quick ?? false;
  const backend = values.backend ?? "sqlite";
  if (backend !== "sqlite" && backend !== "postgres") {
    throw new Error(`--backend is sqlite or postgres, got '${backend}'`);
  }
  const sizes = (values.sizes ?? (quick ? "1000,10000" : "1000,100000,1000000"))
    .split(",")
    .map((size) => positive(size.trim(), 0, "sizes"))
    .sort((a, b) => a - b);
  return {
    quick,
    backend,
    merchants: Math.round(positive(values.merchants, quick ? 10 : 100, "merchants")),
    slotsPerMerchant: Math.round(positive(values.slots, 1000, "slots")),
    concurrency: Math.round(positive(values.concurrency, 50, "concurrency")),
    warmupSec: positive(values.warmup, quick ? 0.5 : 1, "warmup"),
    durationSec: positive(values.duration, quick ? 2 : 4, "duration"),
    repeat: Math.round(positive(values.repeat, quick ? 1 : 3, "repeat")),
    scalingSizes: values["no-scaling"] ? [] : sizes,
    scalingDurationSec: quick ? 1 : 3,
    only: values.only ? new RegExp(values.only) : undefined,
    cpuProfile: values["cpu-prof"] ?? false,
    outDir: values.out ?? new URL("./results/", import.meta.url).pathname,
    logLevel: values["log-level"] ?? "info",
    label: values.label ?? "",
  };
}
