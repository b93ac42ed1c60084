// A server process for `bench/grpc-gap.ts`: the HealthCheck no-op behind one transport variant.
// `connect` / `fast`: createServer with the full interceptor chain, gRPC through connect-node or the fast
// path; `connect-bare` / `fast-bare`: the same two transports with no interceptors at all.
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { BookingService } from "../gen/booking/partner/v3/booking_service_pb.js";
import { createLogger } from "../src/logger.js";
import { createBookingServiceImpl } from "../src/rpc/booking-service-impl.js";
import { createHealthCheckHandler } from "../src/rpc/health-check.js";
import { createServer } from "../src/server/create-server.js";
import { createGrpcFastPath } from "../src/server/grpc-fast-path.js";
import { createOnePortServer } from "../src/server/one-port-server.js";
import { createRequestCore, unarySpecsOf } from "../src/server/request-core.js";

const [variant = "fast", credential = "bench:pw"] = process.argv.slice(2);
// Logs are written, as in production, but to nowhere.
const logger = createLogger({ level: "info", destination: { write: () => true } as never });
const handlers = { healthCheck: createHealthCheckHandler(async () => true) };

async function listen(): Promise<string> {
  if (variant === "connect" || variant === "fast") {
    const server = createServer({ logger, credentials: [credential], handlers, grpcFastPath: variant === "fast" });
    return (await server.listen(0, "127.0.0.1")).url;
  }
  const impl = createBookingServiceImpl(handlers);
  const handler = connectNodeAdapter({ routes: (router) => router.service(BookingService, impl) });
  const core = createRequestCore({
    service: BookingService,
    specs: unarySpecsOf(BookingService, impl),
    interceptors: [],
    maxBodyBytes: 1 << 20,
  });
  const claimStream = variant === "fast-bare" ? createGrpcFastPath({ core, logger }) : undefined;
  const server = createOnePortServer(handler, claimStream ? { claimStream } : {});
  const address = await server.listen(0, "127.0.0.1");
  return `http://127.0.0.1:${address.port}`;
}

process.stdout.write(`${variant} listening on ${await listen()}\n`);
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => process.exit(0));
