import type { DescMessage, DescService, MessageShape } from "@bufbuild/protobuf";
import {
  type ConnectError,
  createServiceImplSpec,
  type HandlerContext,
  type Interceptor,
  type MethodImplSpec,
  type ServiceImpl,
} from "@connectrpc/connect";
import type { CallObserver, CallRecord } from "./call-log.js";
import { invokeUnaryImplementation } from "./connect-internals.js";
import type { Authenticator } from "./credentials.js";
import { failureOf } from "./interceptors.js";

/** A unary method with its handler. */
export type UnarySpec = MethodImplSpec & { kind: "unary" };

/** What the core serves and the policies every call obeys. */
export interface RequestCoreOptions {
  service: DescService;
  /** The unary methods with their handlers, by method name (see `unarySpecsOf`). */
  specs: ReadonlyMap<string, UnarySpec>;
  interceptors: Interceptor[];
  maxBodyBytes: number;
  /** Checks the credentials from the headers, before any body is read; without it only the interceptors check. */
  authenticate?: Authenticator;
  /** Observes calls refused before the chain; without it they go unobserved. */
  observe?: CallObserver;
}

/** The unary methods of a service with their handlers, by method name. */
export function unarySpecsOf<S extends DescService>(service: S, impl: ServiceImpl<S>): Map<string, UnarySpec> {
  const specs = new Map<string, UnarySpec>();
  for (const spec of Object.values(createServiceImplSpec(service, impl).methods)) {
    if (spec.kind === "unary") specs.set(spec.method.name, spec);
  }
  return specs;
}

/**
 * The steps every entry path outside connect-node shares: finding the method a path names, running
 * the call's handler behind the interceptor chain, and observing a call refused before the chain
 * could run. Header conversion and the HandlerContext are `call-context.ts`, body limits and body
 * errors `request-body.ts`, replies `reply-writer.ts`; the adapters (REST, the gRPC fast path, the
 * unknown-method fallback) only translate their wire to and from these.
 */
export interface RequestCore {
  readonly service: DescService;
  readonly maxBodyBytes: number;
  readonly authenticate: Authenticator | undefined;
  /** The unary method at a gRPC path (`/pkg.Service/Method`), exactly. */
  byPath(path: string): UnarySpec | undefined;
  /** The unary method a REST name (`createbooking`, any case) names. */
  byName(name: string): UnarySpec | undefined;
  /** Runs the handler behind the interceptor chain (observation, auth, rate limit, validation, deadline). */
  invoke(
    spec: UnarySpec,
    context: HandlerContext,
    message: MessageShape<DescMessage>,
  ): Promise<MessageShape<DescMessage>>;
  /**
   * Observes a call refused before the interceptor chain ran (no such method, a wrong verb, a media
   * type, a rate limit) as the chain observes the others, and marks the error with the request id.
   */
  refused(
    error: ConnectError,
    call: Omit<CallRecord, "outcome" | "code" | "durationMs" | "replayed">,
    started: number,
  ): ConnectError;
}

/** Creates the request core of one service. */
export function createRequestCore(options: RequestCoreOptions): RequestCore {
  const byPath = new Map<string, UnarySpec>();
  const byName = new Map<string, UnarySpec>();
  for (const spec of options.specs.values()) {
    byPath.set(`/${options.service.typeName}/${spec.method.name}`, spec);
    byName.set(spec.method.name.toLowerCase(), spec);
  }
  return {
    service: options.service,
    maxBodyBytes: options.maxBodyBytes,
    authenticate: options.authenticate,
    byPath: (path) => byPath.get(path),
    byName: (name) => byName.get(name.toLowerCase()),
    invoke: (spec, context, message) => invokeUnaryImplementation(spec, context, message, options.interceptors),
    refused(error, call, started) {
      error.metadata.set("x-request-id", call.requestId);
      options.observe?.({ ...call, ...failureOf(error, started) });
      return error;
    },
  };
}
