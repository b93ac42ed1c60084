import type { DescService } from "@bufbuild/protobuf";
import type { ConnectRouter, Interceptor } from "@connectrpc/connect";
import { Health } from "../../gen/grpc/health/v1/health_pb.js";
import { createHealthService } from "./grpc-health-service.js";
import { createReflectionServices, reflectionServices } from "./reflection-service.js";
import type { ServingState } from "./serving-state.js";

/** What the health and reflection services report on, and who may call reflection. */
export interface OperationalServicesOptions {
  state: ServingState;
  /** The application's own services (BookingService). */
  served: readonly DescService[];
  /** Run on reflection calls in place of the router's chain: observation and the aggregator credential. */
  reflectionInterceptors: Interceptor[];
}

/**
 * Adds `grpc.health.v1.Health` (open to anyone, like the HTTP probes: it reveals only SERVING or
 * NOT_SERVING, and orchestrators call it without credentials) and gRPC server reflection v1 and
 * v1alpha (for callers with an aggregator credential) to the router, for every service it serves.
 * Both bypass the booking calls' limits and deadlines: a Watch stays open for as long as its client wants.
 */
export function registerOperationalServices(router: ConnectRouter, options: OperationalServicesOptions): void {
  const services = [...options.served, Health, ...reflectionServices];
  router.service(
    Health,
    createHealthService(
      options.state,
      services.map((s) => s.typeName),
    ),
    { interceptors: [] },
  );
  const reflection = createReflectionServices(services);
  const [v1, v1alpha] = reflectionServices;
  router.service(v1, reflection.v1, { interceptors: options.reflectionInterceptors });
  router.service(v1alpha, reflection.v1alpha, { interceptors: options.reflectionInterceptors });
}
