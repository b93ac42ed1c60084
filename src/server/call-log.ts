import { randomUUID } from "node:crypto";
import type { Logger } from "../logger.js";

/** What one call's log line says. Never user data or credentials. */
export interface CallRecord {
  rpc: string;
  protocol: string;
  requestId: string;
  /** "ok", a booking failure cause such as "SLOT_UNAVAILABLE", or an error reason. */
  outcome: string;
  /** gRPC code name for errors ("invalid_argument"); absent on success. */
  code?: string;
  durationMs: number;
  replayed: boolean;
  caller?: string;
  /** The request path of a call that matched no method (its query is never logged). */
  path?: string;
}

/** Observes finished calls: one log line each, and whatever else is registered (metrics). */
export type CallObserver = (record: CallRecord) => void;

/** Longest path a log line keeps; a longer one is cut, so a client cannot inflate the log. */
const maxLoggedPath = 256;

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes the client's `x-request-id` when it is a plain token, else makes a new one. */
export function resolveRequestId(header: string | null | undefined): string {
  return header && requestIdPattern.test(header) ? header : randomUUID();
}

/** The observer that writes one pino line per call. */
export function createCallLogger(logger: Logger): CallObserver {
  return (record) => {
    const level = record.code === "internal" || record.code === "unknown" ? "error" : "info";
    logger[level](
      {
        rpc: record.rpc,
        protocol: record.protocol,
        requestId: record.requestId,
        outcome: record.outcome,
        code: record.code,
        durationMs: Math.round(record.durationMs * 1000) / 1000,
        replayed: record.replayed,
        caller: record.caller,
        path: record.path?.slice(0, maxLoggedPath),
      },
      "call",
    );
  };
}
