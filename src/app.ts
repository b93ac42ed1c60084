import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { type Clock, systemClock } from "./booking/clock.js";
import { createCalendarSyncScheduler } from "./calendar/calendar-sync-scheduler.js";
import type { Logger } from "./logger.js";
import { type BookingBackend, openBookingBackend } from "./rpc/booking-backend.js";
import type { BookingServiceImpl } from "./rpc/booking-service-impl.js";
import { createHealthCheckHandler } from "./rpc/health-check.js";
import { type CreateServerOptions, createServer } from "./server/create-server.js";
import { aggregatorsByUser } from "./server/credentials.js";
import { createMetrics } from "./server/metrics.js";
import { createMetricsRoute, type MetricsAccess } from "./server/metrics-route.js";
import type { OnePortOptions } from "./server/one-port-server.js";

/** Configuration of a running booking server. */
export interface AppConfig {
  logger: Logger;
  host: string;
  port: number;
  /** Credential lines: `user:password` or `[aggregator] user:password` (see parseCredentials). */
  credentials: readonly string[];
  tls?: { cert: Buffer; key: Buffer };
  maxBodyBytes?: number;
  /** SQLite file of the booking store; without it the booking RPCs answer UNIMPLEMENTED. */
  dbPath?: string;
  /** Load the demo inventory into an empty database. */
  demo?: boolean;
  /** FULL (default): an acknowledged booking survives a power loss; NORMAL: a process crash only. */
  synchronous?: "FULL" | "NORMAL";
  clock?: Clock;
  /** Sync linked Google Calendars in the background; `rootUrl` points the client elsewhere (tests). */
  calendarSync?: { intervalMs?: number; rootUrl?: string };
  /** Handlers that replace the built ones (tests of the transport use this). */
  handlerOverrides?: Partial<BookingServiceImpl>;
  /** Who may read `GET /metrics`; not served when absent. */
  metrics?: MetricsAccess;
  rateLimit?: CreateServerOptions["rateLimit"];
  deadlines?: CreateServerOptions["deadlines"];
  validationLimits?: CreateServerOptions["validationLimits"];
  validateRequests?: boolean;
  /** Connection and stream limits and timeouts of the port (defaults in OnePortOptions). */
  transport?: TransportLimits;
  /** Readiness in place of the store's own probe (tests of a store the app did not open). */
  ready?: CreateServerOptions["ready"];
  /** Browser origins allowed to call (CORS); none by default. */
  corsOrigins?: readonly string[];
}

/** The transport settings an operator or a test may tune. */
export type TransportLimits = Omit<OnePortOptions, "tls" | "claimStream" | "logger" | "onTransportEvent">;

/** A started booking server: where it listens and how to stop it. */
export interface RunningApp {
  url: string;
  port: number;
  /** Drains in-flight calls (up to `graceMs`, 10 s by default), then releases the store. */
  close(graceMs?: number): Promise<void>;
}

/** Wires transport, handlers and store together and starts listening. */
export async function startApp(config: AppConfig): Promise<RunningApp> {
  let backend: BookingBackend | undefined;
  if (config.dbPath) {
    mkdirSync(dirname(config.dbPath), { recursive: true });
    backend = openBookingBackend({
      dbPath: config.dbPath,
      demo: config.demo,
      aggregators: aggregatorsByUser(config.credentials),
      ...(config.clock ? { clock: config.clock } : {}),
      ...(config.synchronous ? { synchronous: config.synchronous } : {}),
    });
    for (const moved of backend.reassigned) {
      config.logger[moved.conflictingTokens > 0 ? "warn" : "info"](
        moved,
        "credential user's rows moved to its aggregator",
      );
    }
  }
  const handlers: Partial<BookingServiceImpl> = {
    ...backend?.handlers,
    healthCheck: createHealthCheckHandler(() => backend?.healthy() ?? true),
    ...config.handlerOverrides,
  };
  const scheduler =
    backend && config.calendarSync
      ? createCalendarSyncScheduler({
          db: backend.db,
          logger: config.logger,
          clock: config.clock ?? systemClock,
          ...config.calendarSync,
        })
      : undefined;
  const metrics = createMetrics();
  const serverOptions: CreateServerOptions = {
    logger: config.logger,
    credentials: config.credentials,
    handlers,
    maxBodyBytes: config.maxBodyBytes,
    observers: [metrics.observe],
    onTransportEvent: metrics.transportEvent,
    extraRoutes: config.metrics ? [createMetricsRoute(metrics.registry, config.metrics)] : [],
    rateLimit: config.rateLimit,
    deadlines: config.deadlines,
    validationLimits: config.validationLimits,
    validateRequests: config.validateRequests,
    transport: { ...config.transport, ...(config.tls ? { tls: config.tls } : {}) },
    ready: config.ready ?? (() => backend?.healthy() ?? true),
    ...(config.corsOrigins ? { cors: { origins: config.corsOrigins } } : {}),
  };
  const server = createServer(serverOptions);
  let listening: { url: string; port: number };
  try {
    listening = await server.listen(config.port, config.host);
  } catch (error) {
    await backend?.close();
    throw error;
  }
  scheduler?.start();
  return {
    ...listening,
    async close(graceMs?: number) {
      await scheduler?.stop();
      await server.close(graceMs);
      await backend?.close();
    },
  };
}
