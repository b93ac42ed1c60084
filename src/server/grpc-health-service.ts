import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import {
  type Health,
  type HealthCheckResponse,
  HealthCheckResponseSchema,
  HealthCheckResponse_ServingStatus as ServingStatus,
} from "../../gen/grpc/health/v1/health_pb.js";
import type { ServingState } from "./serving-state.js";

const answer = (status: ServingStatus): HealthCheckResponse => create(HealthCheckResponseSchema, { status });
const statusOf = (serving: boolean): ServingStatus => (serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);

/**
 * gRPC's standard health service (`grpc.health.v1.Health`): the overall status (service "") and the
 * status of each named service are all the server's serving state, SERVING while the database is
 * usable and the server is not draining, NOT_SERVING otherwise. Answers reveal nothing else.
 */
export function createHealthService(state: ServingState, serviceNames: readonly string[]): ServiceImpl<typeof Health> {
  const known = new Set(["", ...serviceNames]);
  return {
    async check(request) {
      if (!known.has(request.service)) throw new ConnectError("unknown service", Code.NotFound);
      return answer(statusOf(await state.serving()));
    },

    async list() {
      const status = answer(statusOf(await state.serving()));
      return { statuses: Object.fromEntries([...known].map((name) => [name, status])) };
    },

    async *watch(request, context) {
      const unknown = !known.has(request.service);
      // As the protocol asks, an unknown service is reported once and the call stays open.
      if (unknown) yield answer(ServingStatus.SERVICE_UNKNOWN);
      const changes = latestValues<boolean>(context.signal);
      const stop = state.watch(changes.push);
      try {
        for (let serving = await changes.next(); serving !== undefined; serving = await changes.next()) {
          if (!unknown) yield answer(statusOf(serving));
          // A draining server ends its watches, so they do not hold up the shutdown.
          if (!serving && state.draining) return;
        }
      } finally {
        stop();
      }
    },
  };
}

/** A one-slot queue: `next()` waits for the newest pushed value, or undefined once the signal aborts. */
function latestValues<T>(signal: AbortSignal): { push: (value: T) => void; next: () => Promise<T | undefined> } {
  let pending: { value: T } | undefined;
  let wake: (() => void) | undefined;
  signal.addEventListener("abort", () => wake?.(), { once: true });
  return {
    push(value) {
      pending = { value };
      wake?.();
    },
    async next() {
      while (!pending && !signal.aborted) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      if (signal.aborted || !pending) return undefined;
      const { value } = pending;
      pending = undefined;
      return value;
    },
  };
}
