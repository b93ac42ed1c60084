/**
 * The one place that imports connect-es code marked `@private` (no semantic versioning): an upgrade
 * of `@connectrpc/*` that moves or changes these touches this file only.
 */
import type { UniversalHandler, UniversalServerRequest } from "@connectrpc/connect/protocol";

export type { UniversalHandler, UniversalServerRequest } from "@connectrpc/connect/protocol";
export { invokeUnaryImplementation } from "@connectrpc/connect/protocol";
export { setTrailerStatus } from "@connectrpc/connect/protocol-grpc";
export { universalRequestFromNodeRequest, universalResponseToNodeResponse } from "@connectrpc/connect-node";

/**
 * A handler that serves through `serve` and describes itself as `handler` does: every field of the
 * library's handler is carried over, including any a later version adds.
 */
export function wrapUniversalHandler(
  handler: UniversalHandler,
  serve: (req: UniversalServerRequest) => ReturnType<UniversalHandler>,
): UniversalHandler {
  return Object.assign(serve, handler);
}
