import type { IncomingHttpHeaders } from "node:http";
import type { DescMethodUnary } from "@bufbuild/protobuf";
import { Code, ConnectError, type ContextValues, createContextKey, type HandlerContext } from "@connectrpc/connect";

/**
 * The controller of the call's own signal, on calls whose context `createCallContext` built: the
 * deadline interceptor aborts it when the server's limit passes, instead of linking a second one.
 */
export const callControllerKey = createContextKey<AbortController | undefined>(undefined);

/** What a call's HandlerContext is made of, as an entry path outside connect-node knows it. */
export interface CallContextInit {
  method: DescMethodUnary;
  protocolName: string;
  requestMethod: string;
  url: string;
  headers: IncomingHttpHeaders;
  values: ContextValues;
  /** When the client's deadline passes (epoch ms); none when it set none. */
  deadline?: number;
  responseHeader?: Headers;
  responseTrailer?: Headers;
}

/** A call's context and the controller that ends it (the client went away, the deadline passed). */
export interface CallContext {
  context: HandlerContext;
  controller: AbortController;
  /** Stops the deadline timer; call it when the call has finished. */
  release(): void;
}

/**
 * Node's request headers as Fetch Headers, without HTTP/2 pseudo-headers. Repeated headers keep every
 * value (appended, as connect-node does), so `get` joins them with ", ".
 */
export function requestHeadersOf(headers: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const key in headers) {
    if (key.charCodeAt(0) === 58 /* ":" */) continue;
    const value = headers[key];
    if (typeof value === "string") out.append(key, value);
    else if (Array.isArray(value)) for (const item of value) out.append(key, item);
    else if (value !== undefined) out.append(key, String(value));
  }
  return out;
}

/**
 * Builds the HandlerContext of a call: one AbortController (connect's createHandlerContext links two
 * per call, a measurable share of a cheap call's cost), aborted with DEADLINE_EXCEEDED when the
 * client's deadline passes.
 */
export function createCallContext(init: CallContextInit): CallContext {
  const controller = new AbortController();
  const { deadline } = init;
  let timer: NodeJS.Timeout | undefined;
  if (deadline !== undefined) {
    const timedOut = (): void => controller.abort(new ConnectError("the operation timed out", Code.DeadlineExceeded));
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) timedOut();
    else timer = setTimeout(timedOut, remainingMs);
  }
  const context: HandlerContext = {
    service: init.method.parent,
    method: init.method,
    signal: controller.signal,
    timeoutMs: () => (deadline === undefined ? undefined : deadline - Date.now()),
    requestMethod: init.requestMethod,
    requestHeader: requestHeadersOf(init.headers),
    responseHeader: init.responseHeader ?? new Headers(),
    responseTrailer: init.responseTrailer ?? new Headers(),
    protocolName: init.protocolName,
    values: init.values,
    url: init.url,
  };
  init.values.set(callControllerKey, controller);
  return { context, controller, release: () => clearTimeout(timer) };
}
