import type { Logger } from "./logger.js";
import type { BookingServiceImpl } from "./rpc/booking-service-impl.js";
import { createHealthCheckHandler } from "./rpc/health-check.js";
import { type CreateServerOptions, createServer } from "./server/create-server.js";
import { createMetrics } from "./server/metrics.js";
import { createMetricsRoute, type MetricsAccess } from "./server/metrics-route.js";

/** Configuration of a running booking server. */
export interface AppConfig {
  logger: Logger;
  host: string;
  port: number;
  credentials: readonly string[];
  tls?: { cert: Buffer; key: Buffer };
  maxBodyBytes?: number;
  /** Handlers that replace the built ones (tests of the transport use this). */
  handlerOverrides?: Partial<BookingServiceImpl>;
  /** Who may read `GET /metrics`; not served when absent. */
  metrics?: MetricsAccess;
  rateLimit?: CreateServerOptions["rateLimit"];
  deadlines?: CreateServerOptions["deadlines"];
  validationLimits?: CreateServerOptions["validationLimits"];
  validateRequests?: boolean;
}

/** A started booking server: where it listens and how to stop it. */
export interface RunningApp {
  url: string;
  port: number;
  /** Drains in-flight calls, then releases the store. */
  close(): Promise<void>;
}

/** Wires transport, handlers and store together and starts listening. */
export async function startApp(config: AppConfig): Promise<RunningApp> {
  const handlers: Partial<BookingServiceImpl> = {
    healthCheck: createHealthCheckHandler(() => true),
    ...config.handlerOverrides,
  };
  const metrics = createMetrics();
  const serverOptions: CreateServerOptions = {
    logger: config.logger,
    credentials: config.credentials,
    handlers,
    maxBodyBytes: config.maxBodyBytes,
    observers: [metrics.observe],
    extraRoutes: config.metrics ? [createMetricsRoute(metrics.registry, config.metrics)] : [],
    rateLimit: config.rateLimit,
    deadlines: config.deadlines,
    validationLimits: config.validationLimits,
    validateRequests: config.validateRequests,
    transport: config.tls ? { tls: config.tls } : {},
  };
  const server = createServer(serverOptions);
  const { url, port } = await server.listen(config.port, config.host);
  return {
    url,
    port,
    async close() {
      await server.close();
    },
  };
}
