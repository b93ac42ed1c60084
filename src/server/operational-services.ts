import type { DescService } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter, type Interceptor } from "@connectrpc/connect";
import { Health } from "../../gen/grpc/health/v1/health_pb.js";
import { rpcError } from "../contract/errors.js";
import { createHealthService } from "./grpc-health-service.js";
import { createReflectionServices, reflectionServices } from "./reflection-service.js";
import { bodyErrorKey, withDecodedMessage } from "./request-body.js";
import { guardRequestBody } from "./request-body-guard.js";
import type { ServingState } from "./serving-state.js";

/** What the health and reflection services report on, and who may call reflection. */
export interface OperationalServicesOptions {
  state: ServingState;
  /** The application's own services (BookingService). */
  served: readonly DescService[];
  /** Run on reflection calls before the handler: observation and the aggregator credential. */
  reflectionInterceptors: Interceptor[];
  maxBodyBytes: number;
}

/**
 * Adds `grpc.health.v1.Health` (open to anyone, like the HTTP probes: it reveals only SERVING or
 * NOT_SERVING, and orchestrators call it without credentials) and gRPC server reflection v1 and
 * v1alpha (for callers with an aggregator credential) to the router, for every service it serves.
 * Both bypass the booking calls' limits and deadlines: a Watch stays open for as long as its client
 * wants. A request they cannot decode is INVALID_ARGUMENT (MALFORMED_PROTOBUF), as for booking calls.
 */
export function registerOperationalServices(router: ConnectRouter, options: OperationalServicesOptions): void {
  const services = [...options.served, Health, ...reflectionServices];
  const first = router.handlers.length;
  router.service(
    Health,
    createHealthService(
      options.state,
      services.map((s) => s.typeName),
    ),
    {
      interceptors: [refuseUndecodable],
    },
  );
  // Health's requests are single messages: decoded up front, as the booking calls' are.
  for (let index = first; index < router.handlers.length; index++) {
    router.handlers[index] = guardRequestBody(
      router.handlers[index] as (typeof router.handlers)[number],
      options.maxBodyBytes,
    );
  }
  const reflection = createReflectionServices(services);
  const [v1, v1alpha] = reflectionServices;
  const interceptors = [...options.reflectionInterceptors, refuseUndecodable];
  router.service(v1, reflection.v1, { interceptors });
  router.service(v1alpha, reflection.v1alpha, { interceptors });
}

/**
 * Answers a request the transport could not decode (found by the body guard, or, on a stream, by the
 * library while the handler reads it) as MALFORMED_PROTOBUF rather than the library's INTERNAL.
 */
const refuseUndecodable: Interceptor = (next) => async (req) => {
  if (!req.stream) return next(withDecodedMessage(req));
  const problem = req.contextValues.get(bodyErrorKey);
  if (problem) throw problem;
  return next({ ...req, message: malformedAsInvalid(req.message, req.method.input.typeName) });
};

async function* malformedAsInvalid<T>(messages: AsyncIterable<T>, typeName: string): AsyncIterable<T> {
  try {
    yield* messages;
  } catch (error) {
    // The library reports a message it cannot parse as INTERNAL; it is the client's bytes.
    if (error instanceof ConnectError && error.code === Code.Internal) {
      throw rpcError("MALFORMED_PROTOBUF", `a request message is not a valid ${typeName}`);
    }
    throw error;
  }
}
