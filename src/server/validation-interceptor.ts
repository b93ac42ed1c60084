import type { Interceptor } from "@connectrpc/connect";
import { invalidFields, rpcError } from "../contract/errors.js";
import { validateRequest } from "../rpc/validation/validate-request.js";
import type { ValidationLimits } from "../rpc/validation/validation-limits.js";
import { bodyErrorKey, withDecodedMessage } from "./request-body.js";

/** What the validation interceptor checks against. */
export interface ValidationInterceptorOptions {
  limits: ValidationLimits;
  /** Methods with a handler; the others answer UNIMPLEMENTED whatever their request says. */
  implemented: ReadonlySet<string>;
}

/**
 * Refuses a request before any handler work: first a body the transport could not decode, then every
 * field rule of the method's request message (INVALID_ARGUMENT with all violations, or TOO_MANY_SLOTS).
 */
export function createValidationInterceptor(options: ValidationInterceptorOptions): Interceptor {
  return (next) => async (received) => {
    if (received.stream) {
      const problem = received.contextValues.get(bodyErrorKey);
      if (problem) throw problem;
      return next(received);
    }
    const req = withDecodedMessage(received);
    if (options.implemented.has(req.method.name)) {
      const failure = validateRequest(req.method.name, req.message, options.limits);
      if (failure?.reason === "TOO_MANY_SLOTS") {
        const [violation] = failure.violations;
        throw rpcError("TOO_MANY_SLOTS", `slot_time ${violation?.description ?? "is too long"}`, {
          violations: failure.violations,
        });
      }
      if (failure) throw invalidFields(failure.violations);
    }
    return next(req);
  };
}
