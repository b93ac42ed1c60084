import { createAdminHandlers } from "./admin/admin-handlers.js";
import { type BookingEngine, createBookingEngine } from "./booking/booking-engine.js";
import { type Clock, systemClock } from "./booking/clock.js";
import { createMerchantBookings, type MerchantBookings } from "./booking/merchant-bookings.js";
import { createMerchantInventory, type MerchantInventory } from "./booking/merchant-inventory.js";
import { createNotificationRetry, type NotificationRetry } from "./booking/notification-retry.js";
import { createCalendarSyncScheduler } from "./calendar/calendar-sync-scheduler.js";
import { loadDemoInventory } from "./demo/demo-inventory.js";
import type { Logger } from "./logger.js";
import { createDeliveryWorker } from "./notify/delivery-worker.js";
import { createRequestSigner } from "./notify/notify-auth.js";
import { createNotifyMetrics } from "./notify/notify-metrics.js";
import type { NotifyOptions } from "./notify/notify-options.js";
import { createRtuSender } from "./notify/rtu-sender.js";
import { createLedgerPaymentProcessor } from "./payments/ledger-payment-processor.js";
import type { PaymentProcessor } from "./payments/payment-processor.js";
import { testTokenDeclineRule } from "./payments/test-token-decline-rule.js";
import { createBookingHandlers } from "./rpc/booking-handlers.js";
import type { BookingServiceImpl } from "./rpc/booking-service-impl.js";
import { createHealthCheckHandler } from "./rpc/health-check.js";
import { type CreateServerOptions, createServer } from "./server/create-server.js";
import { aggregatorsByUser } from "./server/credentials.js";
import { createMetrics } from "./server/metrics.js";
import { createMetricsRoute, type MetricsAccess } from "./server/metrics-route.js";
import type { OnePortOptions } from "./server/one-port-server.js";
import { createRateLimiter, createSharedRateLimiter, type RateLimitOptions } from "./server/rate-limiter.js";
import { createReadCacheMetrics } from "./server/read-cache-metrics.js";
import { createWriteBatchMetrics } from "./server/write-batch-metrics.js";
import { type OpenStorageOptions, openStorage } from "./store/open-storage.js";
import type { Storage } from "./store/storage.js";

/** Where the ports come from: a `--db` value to open, or a storage opened by the caller (tests). */
export interface PortsConfig extends OpenStorageOptions {
  /** A SQLite file path or a `postgres://` URL. */
  database?: string;
  /** An open storage to use instead of `database`; the app closes it. */
  storage?: Storage;
  clock?: Clock;
  /** The built-in ledger (accepting `test:decline:<CAUSE>` tokens as declines) by default. */
  payments?: PaymentProcessor;
}

/** The storage and the booking engine over it: what the server and the CLI commands work with. */
export interface AppPorts {
  storage: Storage;
  engine: BookingEngine;
  /** The merchant's side of bookings: listing, sync, and changes with etags, audit and outbox entries. */
  merchant: MerchantBookings;
  /** The merchant's side of slots and blocks: changes with etags, audit and availability outbox entries. */
  merchantInventory: MerchantInventory;
  /** RetryNotification: a failed outbox entry queued again with its booking's or slot's current state. */
  notificationRetry: NotificationRetry;
  clock: Clock;
  /** Waits for queued writes, then releases the storage. */
  close(): Promise<void>;
}

/** Opens the storage (or takes the given one) and builds the engine over it; the one place that does. */
export async function openAppPorts(config: PortsConfig): Promise<AppPorts> {
  const storage = config.storage ?? (config.database ? await openStorage(config.database, config) : undefined);
  if (!storage) throw new Error("no database: pass --db (a SQLite file or a postgres:// URL)");
  const clock = config.clock ?? systemClock;
  const payments = config.payments ?? createLedgerPaymentProcessor({ declineRule: testTokenDeclineRule });
  return {
    storage,
    clock,
    engine: createBookingEngine({ store: storage.bookings, clock, payments }),
    merchant: createMerchantBookings({ store: storage.bookings, clock, payments }),
    merchantInventory: createMerchantInventory({ store: storage.bookings, clock }),
    notificationRetry: createNotificationRetry({ store: storage.bookings, clock }),
    close: () => storage.close(),
  };
}

/** Configuration of a running booking server. */
export interface AppConfig extends PortsConfig {
  logger: Logger;
  host: string;
  port: number;
  /** Credential lines: `user:password` or `[aggregator] user:password` (see parseCredentials). */
  credentials: readonly string[];
  /** Credential lines of the merchant's AdminService (same format); none refuses every admin call. */
  adminCredentials?: readonly string[];
  /**
   * Real-time updates to the aggregator: the outbox delivery worker runs when this is given. Outbox
   * entries are written either way.
   */
  notify?: NotifyOptions & { random?: () => number; maxAgeSec?: number };
  /** How long an admin ListBookings sync token stays usable (default 7 days). */
  syncTokenTtlSec?: number;
  tls?: { cert: Buffer; key: Buffer };
  maxBodyBytes?: number;
  /** Load the demo inventory into an empty database. */
  demo?: boolean;
  /** Sync linked Google Calendars in the background; `rootUrl` points the client elsewhere (tests). */
  calendarSync?: { intervalMs?: number; rootUrl?: string };
  /** Handlers that replace the built ones (tests of the transport use this). */
  handlerOverrides?: Partial<BookingServiceImpl>;
  /** Who may read `GET /metrics`; not served when absent. */
  metrics?: MetricsAccess;
  /**
   * The per-credential token bucket: shared by every replica through the database when the storage
   * offers one (PostgreSQL), else kept in this process's memory.
   */
  rateLimit?: RateLimitOptions;
  deadlines?: CreateServerOptions["deadlines"];
  validationLimits?: CreateServerOptions["validationLimits"];
  /** Connection and stream limits and timeouts of the port (defaults in OnePortOptions). */
  transport?: TransportLimits;
  /** Readiness in place of the store's own probe (tests of a store the app did not open). */
  ready?: CreateServerOptions["ready"];
  /** Browser origins allowed to call (CORS); none by default. */
  corsOrigins?: readonly string[];
}

/** The transport settings an operator or a test may tune. */
export type TransportLimits = Omit<OnePortOptions, "tls" | "claimStream" | "logger" | "onTransportEvent">;

/** A started booking server: where it listens, its ports, and how to stop it. */
export interface RunningApp {
  url: string;
  port: number;
  /** The ports the server runs on; absent when it was started without a database. */
  ports?: AppPorts;
  /** Drains in-flight calls (up to `graceMs`, 10 s by default), then releases the store. */
  close(graceMs?: number): Promise<void>;
}

/**
 * The composition root: opens storage from `database` (without one, the booking RPCs answer
 * UNIMPLEMENTED), builds engine, handlers, calendar sync and the server, and starts listening.
 */
export async function startApp(config: AppConfig): Promise<RunningApp> {
  const ports = config.storage || config.database ? await openAppPorts(config) : undefined;
  const aggregators = aggregatorsByUser(config.credentials);
  try {
    if (ports && config.demo) await loadDemoInventory(ports.storage.inventory, ports.clock);
    for (const moved of ports ? await ports.storage.reassignCallers(aggregators) : []) {
      config.logger[moved.conflictingTokens > 0 ? "warn" : "info"](
        moved,
        "credential user's rows moved to its aggregator",
      );
    }
  } catch (error) {
    await ports?.close();
    throw error;
  }
  const handlers: Partial<BookingServiceImpl> = {
    ...(ports ? createBookingHandlers({ engine: ports.engine, aggregators }) : {}),
    healthCheck: createHealthCheckHandler(async () => (ports ? ports.storage.health() : true)),
    ...config.handlerOverrides,
  };
  const scheduler =
    ports && config.calendarSync
      ? createCalendarSyncScheduler({
          store: ports.storage.calendar,
          logger: config.logger,
          clock: ports.clock,
          ...config.calendarSync,
        })
      : undefined;
  const metrics = createMetrics();
  if (ports) {
    createReadCacheMetrics(metrics.registry, () => ports.storage.readCaches());
    createWriteBatchMetrics(metrics.registry, () => ports.storage.writeBatches());
  }
  const worker =
    ports && config.notify
      ? createDeliveryWorker({
          outbox: ports.storage.outbox,
          send: createRtuSender({
            partnerId: config.notify.partnerId,
            rootUrl: config.notify.rootUrl,
            sign: createRequestSigner(config.notify.key, config.notify.timeoutMs ?? 10_000),
            timeoutMs: config.notify.timeoutMs ?? 10_000,
          }),
          clock: ports.clock,
          logger: config.logger,
          metrics: createNotifyMetrics(metrics.registry, ports.storage.outbox),
          ...pick(config.notify, ["pollMs", "leaseMs", "backoff", "random", "maxAgeSec"]),
        })
      : undefined;
  const serverOptions: CreateServerOptions = {
    logger: config.logger,
    credentials: config.credentials,
    handlers,
    admin: {
      credentials: config.adminCredentials ?? [],
      handlers: ports
        ? createAdminHandlers({
            bookings: ports.merchant,
            inventory: ports.merchantInventory,
            calendar: ports.storage.calendar,
            audit: ports.storage.audit,
            outbox: ports.storage.outbox,
            notificationRetry: ports.notificationRetry,
            clock: ports.clock,
            ...(config.syncTokenTtlSec ? { syncTokenTtlSec: config.syncTokenTtlSec } : {}),
          })
        : {},
    },
    maxBodyBytes: config.maxBodyBytes,
    observers: [metrics.observe],
    onTransportEvent: metrics.transportEvent,
    extraRoutes: config.metrics ? [createMetricsRoute(metrics.registry, config.metrics)] : [],
    ...(config.rateLimit
      ? {
          rateLimiter: ports?.storage.rateLimits
            ? createSharedRateLimiter(ports.storage.rateLimits, config.rateLimit)
            : createRateLimiter(config.rateLimit),
        }
      : {}),
    deadlines: config.deadlines,
    validationLimits: config.validationLimits,
    transport: { ...config.transport, ...(config.tls ? { tls: config.tls } : {}) },
    ready: config.ready ?? (async () => (ports ? ports.storage.health() : true)),
    ...(config.corsOrigins ? { cors: { origins: config.corsOrigins } } : {}),
  };
  const server = createServer(serverOptions);
  let listening: { url: string; port: number };
  try {
    listening = await server.listen(config.port, config.host);
  } catch (error) {
    await ports?.close();
    throw error;
  }
  scheduler?.start();
  worker?.start();
  return {
    ...listening,
    ...(ports ? { ports } : {}),
    async close(graceMs?: number) {
      await scheduler?.stop();
      await worker?.stop();
      await server.close(graceMs);
      await ports?.close();
    },
  };
}

/** The entries of `source` named by `keys` that are set. */
function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const picked: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) picked[key] = source[key];
  return picked;
}
