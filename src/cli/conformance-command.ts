import { writeFile } from "node:fs/promises";
import type { BookingClient, BookingClientOptions, Protocol } from "../conformance/booking-client.js";
import { BookingLedger } from "../conformance/booking-ledger.js";
import { allChecks, selectChecks } from "../conformance/check-list.js";
import { conformanceUsage, parseConformanceArgs } from "../conformance/conformance-options.js";
import { runConformance } from "../conformance/conformance-runner.js";
import type { FeedSlot } from "../conformance/feed-reader.js";
import { FeedError, readAvailabilityFeed } from "../conformance/feed-reader.js";
import { formatJsonReport } from "../conformance/json-reporter.js";
import { formatJunitReport } from "../conformance/junit-reporter.js";
import { createRawHttp } from "../conformance/raw-http.js";
import { createRestClient } from "../conformance/rest-client.js";
import { createRpcClient } from "../conformance/rpc-client.js";
import { createRunContext, newRunId } from "../conformance/run-context.js";
import { SlotPool } from "../conformance/slot-pool.js";
import { createTextReporter } from "../conformance/text-reporter.js";
import { type CliIo, processIo } from "./cli-io.js";

// Google's own test tools give each call 30 s; only BatchAvailabilityLookup has a documented deadline.
const callTimeoutMs = 30_000;

/**
 * `booking-server conformance`: runs the conformance checks against `--target` and returns the exit
 * code (0 all passed, 1 a check failed, 2 usage or feed error).
 */
export async function conformanceCommand(argv: string[], io: CliIo = processIo): Promise<number> {
  const parsed = parseConformanceArgs(
    argv,
    allChecks.map((check) => check.name),
  );
  if (parsed.kind === "help") {
    io.stdout(conformanceUsage(allChecks));
    return 0;
  }
  const usageError = (message: string) => {
    io.stderr(`booking-server conformance: ${message}\nRun with --help for usage.\n`);
    return 2;
  };
  if (parsed.kind === "error") return usageError(parsed.message);
  const options = parsed.options;
  const checks = selectChecks(options.only);
  const needFeed = checks.filter((check) => check.needsFeed).map((check) => check.name);
  if (!options.feed && needFeed.length > 0) return usageError(`--feed is required by ${needFeed.join(", ")}`);

  let slots: FeedSlot[] = [];
  try {
    if (options.feed)
      slots = await readAvailabilityFeed(options.feed, Math.floor(Date.now() / 1000) + options.leadTimeSec);
  } catch (error) {
    if (error instanceof FeedError) return usageError(error.message);
    throw error;
  }

  const clientOptions = (credentials: string | undefined): BookingClientOptions => ({
    target: options.target,
    credentials,
    timeoutMs: callTimeoutMs,
  });
  const ledger = new BookingLedger();
  const run = createRunContext({
    runId: newRunId(),
    protocol: options.protocol,
    credentials: options.credentials,
    slotCount: options.slots,
    pool: new SlotPool(slots),
    ledger,
    http: createRawHttp(clientOptions(options.credentials)),
    connect: (credentials) => createBookingClient(options.protocol, clientOptions(credentials)),
  });
  const info = {
    target: options.target,
    protocol: options.protocol,
    runId: run.runId,
    feed: options.feed,
    feedSlots: slots.length,
    leadTimeSec: options.leadTimeSec,
    slotCount: options.slots,
    startedAt: new Date().toISOString(),
  };
  const reporter = createTextReporter({ write: options.json ? io.stderr : io.stdout });
  let report: Awaited<ReturnType<typeof runConformance>>;
  try {
    report = await runConformance(checks, run, ledger, info, reporter);
  } finally {
    run.close();
  }
  if (options.json) io.stdout(formatJsonReport(report));
  if (options.junit) {
    try {
      await writeFile(options.junit, formatJunitReport(report));
    } catch (error) {
      io.stderr(
        `booking-server conformance: cannot write ${options.junit}: ${error instanceof Error ? error.message : error}\n`,
      );
      return 2;
    }
  }
  return report.failed > 0 ? 1 : 0;
}

function createBookingClient(protocol: Protocol, options: BookingClientOptions): BookingClient {
  return protocol === "rest" ? createRestClient(options) : createRpcClient(protocol, options);
}
