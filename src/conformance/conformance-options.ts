import { parseArgs } from "node:util";
import type { Protocol } from "./booking-client.js";
import { protocols } from "./booking-client.js";

/** A parsed `booking-server conformance` command line. */
export interface ConformanceOptions {
  readonly target: string;
  readonly credentials: string | undefined;
  readonly feed: string | undefined;
  readonly protocol: Protocol;
  readonly slots: number;
  /** Slots starting sooner than this many seconds from now are left out. */
  readonly leadTimeSec: number;
  /** Check names to run; empty runs all. */
  readonly only: readonly string[];
  readonly junit: string | undefined;
  readonly json: boolean;
}

/** The outcome of parsing: options to run with, a request for help, or a usage error. */
export type ParsedConformanceArgs =
  | { readonly kind: "run"; readonly options: ConformanceOptions }
  | { readonly kind: "help" }
  | { readonly kind: "error"; readonly message: string };

/** The `--help` text; `checks` lists the names `--only` accepts. */
export function conformanceUsage(checks: readonly { name: string; description: string }[]): string {
  const width = Math.max(...checks.map((c) => c.name.length));
  return `Usage: booking-server conformance --target URL [options]

Runs black-box conformance checks against any Booking Server v3 endpoint (REST /v3/<Method>,
Connect or gRPC booking.partner.v3.BookingService) and cancels every booking it made.

Options:
  --target URL              base URL of the server, e.g. http://127.0.0.1:8080 (required)
  --credentials USER:PASS   HTTP Basic credentials sent on every call
  --feed FILE               availability feed JSON (Google's format) to take slots from;
                            required by every check except health-check, unknown-method-404
                            and malformed-json-400
  --protocol rest|connect|grpc
                            protocol for the RPC checks (default rest); REST-only checks
                            (unknown-method-404, malformed-json-400, camel-case-and-int64-numbers)
                            always use plain HTTP
  --slots N                 how many feed slots the per-slot checks cover (default 10)
  --lead-time SECONDS       use only slots starting at least this long from now (default 86400),
                            so a merchant's cancellation window does not refuse the cancels
  --only NAME[,NAME...]     run only these checks (repeatable)
  --junit FILE              also write a JUnit XML report to FILE
  --json                    print a JSON report on stdout; progress goes to stderr
  -h, --help                show this help

Exit status: 0 when no check failed, 1 when one failed, 2 on a usage or feed error.
A skipped check (e.g. CheckAvailability answering UNIMPLEMENTED, or a feed with too few slots)
does not fail the run; its reason is printed.

Checks:
${checks.map((c) => `  ${c.name.padEnd(width)}  ${c.description}`).join("\n")}
`;
}

/** Parses the command line; `checkNames` are the names `--only` may use. */
export function parseConformanceArgs(argv: readonly string[], checkNames: readonly string[]): ParsedConformanceArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return { kind: "error", message: error instanceof Error ? error.message : String(error) };
  }
  const values = parsed.values;
  if (values.help) return { kind: "help" };
  const error = (message: string) => ({ kind: "error", message }) as const;
  if (!values.target) return error("--target URL is required");
  if (!/^https?:\/\/[^/]/.test(values.target))
    return error(`--target must be an http:// or https:// URL, got ${values.target}`);
  const protocol = protocols.find((p) => p === values.protocol);
  if (!protocol) return error(`--protocol must be one of ${protocols.join(", ")}, got ${values.protocol}`);
  const slots = Number(values.slots);
  if (!Number.isSafeInteger(slots) || slots < 1)
    return error(`--slots must be a positive integer, got ${values.slots}`);
  const leadTimeSec = Number(values["lead-time"]);
  if (!Number.isSafeInteger(leadTimeSec) || leadTimeSec < 0) {
    return error(`--lead-time must be a whole number of seconds, got ${values["lead-time"]}`);
  }
  if (values.credentials !== undefined && !values.credentials.includes(":")) {
    return error("--credentials must be USER:PASS");
  }
  const only = (values.only ?? [])
    .flatMap((list) => list.split(","))
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = only.filter((name) => !checkNames.includes(name));
  if (unknown.length > 0) return error(`unknown check ${unknown.join(", ")}; checks are: ${checkNames.join(", ")}`);
  return {
    kind: "run",
    options: {
      target: values.target.replace(/\/+$/, ""),
      credentials: values.credentials,
      feed: values.feed,
      protocol,
      slots,
      leadTimeSec,
      only,
      junit: values.junit,
      json: values.json,
    },
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      target: { type: "string" },
      credentials: { type: "string" },
      feed: { type: "string" },
      protocol: { type: "string", default: "rest" },
      slots: { type: "string", default: "10" },
      "lead-time": { type: "string", default: "86400" },
      only: { type: "string", multiple: true },
      junit: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}
