import { createContextKey, type Interceptor } from "@connectrpc/connect";
import { callerKey } from "../contract/caller-context.js";
import type { RateLimiter } from "./rate-limiter.js";

/** Set when the REST gateway already took the call's token before reading the body. */
export const rateLimitTakenKey = createContextKey<boolean>(false);

/** Refuses a call over its credential's rate (RATE_LIMITED) after auth and before any other work. */
export function createRateLimitInterceptor(limiter: RateLimiter): Interceptor {
  return (next) => async (req) => {
    if (!req.contextValues.get(rateLimitTakenKey)) {
      const refused = await limiter.take(req.contextValues.get(callerKey), req.method.name);
      if (refused) throw refused;
    }
    return next(req);
  };
}
