import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { AdminService } from "../../gen/booking/admin/v1/admin_service_pb.js";
import { BookingService } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { type AdminServiceImpl, createAdminServiceImpl } from "../admin/admin-service-impl.js";
import { createConsoleRoute } from "../console/console-route.js";
import { rpcError } from "../contract/errors.js";
import type { Logger } from "../logger.js";
import { type BookingServiceImpl, createBookingServiceImpl } from "../rpc/booking-service-impl.js";
import { defaultValidationLimits, type ValidationLimits } from "../rpc/validation/validation-limits.js";
import { type CallObserver, createCallLogger, resolveRequestId } from "./call-log.js";
import { createConnectNodeHandler } from "./connect-node-handler.js";
import { type CorsOptions, withCors } from "./cors.js";
import { type Authenticator, createAuthenticator } from "./credentials.js";
import { createDeadlineInterceptor, type DeadlineOptions, defaultDeadlines } from "./deadline-interceptor.js";
import { toGrpcErrorReply } from "./grpc-error-reply.js";
import { createGrpcFastPath } from "./grpc-fast-path.js";
import { acceptGrpcWebText } from "./grpc-web-text.js";
import { createAuthInterceptor, createObserveInterceptor } from "./interceptors.js";
import { createOnePortServer, type OnePortOptions, type TransportEvent } from "./one-port-server.js";
import { createOpenApiRoute } from "./openapi-route.js";
import { registerOperationalServices } from "./operational-services.js";
import { createProbeRoutes } from "./probe-routes.js";
import { isGrpcFamily, protocolOf } from "./protocol-of.js";
import { createRateLimitInterceptor } from "./rate-limit-interceptor.js";
import type { RateLimiter } from "./rate-limiter.js";
import { writeReply } from "./reply-writer.js";
import { guardRequestBody } from "./request-body-guard.js";
import { createRequestCore, unarySpecsOf } from "./request-core.js";
import { checkRequestHead } from "./request-head.js";
import { toRestError } from "./rest-error.js";
import { createRestGateway, isRestPath } from "./rest-gateway.js";
import { createServingState, type ReadyProbe } from "./serving-state.js";
import { createValidationInterceptor } from "./validation-interceptor.js";

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

/** A plain HTTP route outside the RPC surface (e.g. `/metrics`); returns false when it does not match. */
export type ExtraRoute = (req: Request, res: Response) => boolean | Promise<boolean>;

/** Everything the transport needs; storage and domain arrive as ready handlers. */
export interface CreateServerOptions {
  logger: Logger;
  /** Active `user:password` pairs for HTTP Basic auth. */
  credentials: readonly string[];
  handlers: Partial<BookingServiceImpl>;
  /**
   * AdminService, served on the same port (Connect, gRPC-Web and gRPC through connect-node) behind its
   * own credential lines; aggregator credentials are refused on it and admin ones on BookingService.
   * Without admin credentials every admin call is refused.
   */
  admin?: { credentials: readonly string[]; handlers: Partial<AdminServiceImpl> };
  /** Extra observers of finished calls, besides the log line (metrics). */
  observers?: CallObserver[];
  extraRoutes?: ExtraRoute[];
  /** Largest accepted request body, in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** The per-credential token buckets (in memory, or shared through the database); no limit when absent. */
  rateLimiter?: RateLimiter;
  /** Server-side deadlines (default: 1.5 s for BatchAvailabilityLookup, 10 s for the rest). */
  deadlines?: DeadlineOptions;
  /** Request limits such as the most slot_time entries per lookup. */
  validationLimits?: ValidationLimits;
  /**
   * Serve unary binary gRPC on the raw HTTP/2 stream API instead of through connect-node (default
   * true): same handlers, interceptors and wire answers, without connect-node's per-call overhead.
   */
  grpcFastPath?: boolean;
  transport?: OnePortOptions;
  /** Counts what the transport refused or contained outside any call (for a metric). */
  onTransportEvent?: (kind: TransportEvent) => void;
  /** Whether the store can serve now, for `/readyz` and gRPC health; always ready when absent. */
  ready?: ReadyProbe;
  /** Browser origins allowed to call (CORS); off when absent. */
  cors?: CorsOptions;
}

/** The booking server's network side. */
export interface BookingHttpServer {
  listen(port: number, host: string): Promise<{ url: string; port: number }>;
  close(graceMs?: number): Promise<void>;
}

/**
 * Creates the one-port server: gRPC, gRPC-Web and Connect via connect-node, and Google's REST
 * mapping under `/v3/`, all running the same handlers behind the same interceptors; beside them
 * gRPC health and reflection, `/healthz`, `/readyz` and `/v3/openapi.json`.
 */
export function createServer(options: CreateServerOptions): BookingHttpServer {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const impl = createBookingServiceImpl(options.handlers);
  const authenticate = createAuthenticator(options.credentials);
  // A call line holds only a CallRecord's fixed, non-personal fields, so it skips the root logger's
  // redaction: its wildcard paths cost ~30 µs a line, more than the transport of a no-op call.
  const callLogger = createCallLogger(options.logger.child({}, { redact: [] }));
  const observers = options.observers ?? [];
  const observe: CallObserver = (record) => {
    callLogger(record);
    for (const observer of observers) observer(record);
  };
  const implemented = new Set(
    BookingService.methods.filter((m) => options.handlers[m.localName as keyof BookingServiceImpl]).map((m) => m.name),
  );
  const observeCalls = createObserveInterceptor(observe, options.logger);
  const requireCredentials = createAuthInterceptor(authenticate);
  // Order matters: observe everything, then auth, then the rate limit, then validation, and only the
  // handler itself runs under the deadline.
  const interceptors = [
    observeCalls,
    requireCredentials,
    ...(options.rateLimiter ? [createRateLimitInterceptor(options.rateLimiter)] : []),
    createValidationInterceptor({
      limits: options.validationLimits ?? defaultValidationLimits,
      implemented,
    }),
    createDeadlineInterceptor(options.deadlines ?? defaultDeadlines),
  ];

  const adminAuthenticate = createAuthenticator(options.admin?.credentials ?? []);
  const adminInterceptors = [
    createObserveInterceptor(observe, options.logger),
    createAuthInterceptor(adminAuthenticate),
    // Only what the transport could not decode; admin requests are validated by their handlers.
    createValidationInterceptor({ limits: defaultValidationLimits, implemented: new Set<string>() }),
    createDeadlineInterceptor(options.deadlines ?? defaultDeadlines),
  ];

  const specs = unarySpecsOf(BookingService, impl);
  const core = createRequestCore({ service: BookingService, specs, interceptors, authenticate, observe, maxBodyBytes });
  const rest = createRestGateway(core, options.rateLimiter);
  const extraRoutes = options.extraRoutes ?? [];
  const serving = createServingState(options.ready ? { ready: options.ready } : {});
  const probeRoutes = createProbeRoutes(serving);
  const openApiRoute = createOpenApiRoute(authenticate, options.logger);
  // The merchant console is served only where someone can sign in to it.
  const consoleRoute = options.admin?.credentials.length ? createConsoleRoute({ logger: options.logger }) : () => false;

  const fallback = async (req: Request, res: Response): Promise<void> => {
    try {
      const headProblem = checkRequestHead(req);
      const pathname = headProblem ? "" : new URL(req.url ?? "/", "http://localhost").pathname;
      if (!headProblem && (probeRoutes(req, res, pathname) || openApiRoute(req, res, pathname))) return;
      if (!headProblem && consoleRoute(req, res, pathname)) return;
      if (isRestPath(pathname)) return await rest(req, res);
      for (const route of headProblem ? [] : extraRoutes) {
        if (await route(req, res)) return;
      }
      const started = performance.now();
      const contentType = req.headers["content-type"];
      const grpc = isGrpcFamily(contentType);
      // gRPC clients expect UNIMPLEMENTED for a method or service the server does not have.
      const error =
        headProblem ??
        (grpc
          ? rpcError("NOT_IMPLEMENTED", "no method of the service at this path")
          : rpcError("METHOD_NOT_FOUND", "no method of the service at this path"));
      const call = {
        rpc: "unknown",
        protocol: grpc ? protocolOf(contentType) : "http",
        requestId: resolveRequestId(req.headers["x-request-id"] as string | undefined),
        ...(headProblem ? {} : { path: pathname }),
      };
      core.refused(error, call, started);
      writeReply(res, grpc && contentType ? toGrpcErrorReply(error, contentType) : toRestError(error));
    } catch (error) {
      options.logger.error({ err: error }, "unhandled error in HTTP route");
      writeReply(res, toRestError(rpcError("INTERNAL", "internal error")));
    }
  };

  const handler = createConnectNodeHandler({
    routes: (router) => {
      // Each service's body guard checks the credentials its own interceptors will accept.
      const guardAdded = (authenticateService: Authenticator, from: number): void => {
        for (let index = from; index < router.handlers.length; index++) {
          const handler = router.handlers[index];
          if (handler) router.handlers[index] = guardRequestBody(handler, maxBodyBytes, authenticateService);
        }
      };
      router.service(BookingService, impl);
      guardAdded(authenticate, 0);
      const adminFrom = router.handlers.length;
      router.service(AdminService, createAdminServiceImpl(options.admin?.handlers ?? {}), {
        interceptors: adminInterceptors,
      });
      guardAdded(adminAuthenticate, adminFrom);
      registerOperationalServices(router, {
        state: serving,
        served: [BookingService],
        reflectionInterceptors: [observeCalls, requireCredentials],
        maxBodyBytes,
      });
      router.handlers.forEach((handler, index) => {
        router.handlers[index] = acceptGrpcWebText(handler);
      });
    },
    interceptors,
    readMaxBytes: maxBodyBytes,
    fallback: (req, res) => void fallback(req, res),
    logger: options.logger,
    ...(options.onTransportEvent ? { onTransportEvent: options.onTransportEvent } : {}),
  });
  const claimStream = options.grpcFastPath === false ? undefined : createGrpcFastPath({ core, logger: options.logger });
  const server = createOnePortServer(options.cors ? withCors(handler, options.cors) : handler, {
    ...options.transport,
    logger: options.logger,
    ...(claimStream ? { claimStream } : {}),
    ...(options.onTransportEvent ? { onTransportEvent: options.onTransportEvent } : {}),
  });

  return {
    async listen(port, host) {
      const address = await server.listen(port, host);
      const scheme = options.transport?.tls ? "https" : "http";
      const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
      return { url: `${scheme}://${shownHost}:${address.port}`, port: address.port };
    },
    close: (graceMs) => {
      serving.drain();
      return server.close(graceMs);
    },
  };
}
