import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { CallObserver, CallRecord } from "./call-log.js";
import type { TransportEvent } from "./one-port-server.js";

/** The server's Prometheus metrics, fed by finished calls. */
export interface BookingMetrics {
  /** Its own registry (never prom-client's global one), so several servers in a process stay apart. */
  registry: Registry;
  /** Registered as a call observer of the server. */
  observe: CallObserver;
  /** Counts what the transport refused or contained outside any call. */
  transportEvent(kind: TransportEvent): void;
}

// Codes that say the server, not the request, is at fault (HTTP 5xx).
const serverCodes = new Set(["internal", "unknown", "data_loss", "unavailable", "deadline_exceeded", "unimplemented"]);
const bookingRpcs = new Set(["CreateBooking", "UpdateBooking"]);

/** "ok", "booking_failure" (a business answer), "client_error" or "server_error". */
export function outcomeClassOf(record: CallRecord): string {
  if (record.code === undefined) return record.outcome === "ok" ? "ok" : "booking_failure";
  return serverCodes.has(record.code) ? "server_error" : "client_error";
}

/**
 * Creates the metrics: `booking_server_calls_total{rpc,protocol,outcome}`,
 * `booking_server_call_duration_seconds{rpc,protocol,outcome_class}`,
 * `booking_server_booking_outcomes_total{rpc,cause}`, `booking_server_idempotent_replays_total`,
 * `booking_server_rate_limited_total{caller}`, `booking_server_transport_events_total{kind}`, and the
 * default process metrics.
 */
export function createMetrics(): BookingMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  const calls = new Counter({
    name: "booking_server_calls_total",
    help: "Finished calls by RPC, protocol and outcome (ok, a booking failure cause, or an error reason).",
    labelNames: ["rpc", "protocol", "outcome"] as const,
    registers,
  });
  const duration = new Histogram({
    name: "booking_server_call_duration_seconds",
    help: "Call duration from the first interceptor to the answer.",
    labelNames: ["rpc", "protocol", "outcome_class"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5, 5, 10],
    registers,
  });
  const bookingOutcomes = new Counter({
    name: "booking_server_booking_outcomes_total",
    help: "CreateBooking and UpdateBooking answers: ok or the BookingFailure cause.",
    labelNames: ["rpc", "cause"] as const,
    registers,
  });
  const replays = new Counter({
    name: "booking_server_idempotent_replays_total",
    help: "CreateBooking calls answered from the idempotency record of an earlier success.",
    registers,
  });
  const rateLimited = new Counter({
    name: "booking_server_rate_limited_total",
    help: "Calls refused with RATE_LIMITED, by credential user.",
    labelNames: ["caller"] as const,
    registers,
  });
  const transportEvents = new Counter({
    name: "booking_server_transport_events_total",
    help: "Requests and connections the transport refused or contained outside any call, by kind.",
    labelNames: ["kind"] as const,
    registers,
  });
  return {
    registry,
    transportEvent: (kind) => transportEvents.inc({ kind }),
    observe(record) {
      calls.inc({ rpc: record.rpc, protocol: record.protocol, outcome: record.outcome });
      duration.observe(
        { rpc: record.rpc, protocol: record.protocol, outcome_class: outcomeClassOf(record) },
        record.durationMs / 1000,
      );
      if (record.code === undefined && bookingRpcs.has(record.rpc)) {
        bookingOutcomes.inc({ rpc: record.rpc, cause: record.outcome });
      }
      if (record.replayed) replays.inc();
      if (record.outcome === "RATE_LIMITED") rateLimited.inc({ caller: record.caller ?? "unknown" });
    },
  };
}
