import fc from "fast-check";
import { fuzzSeeds } from "../errors/fuzz-bodies.js";
import { connectTimeout, garbageHost, grpcTimeout, header, oddText } from "./header-generators.js";
import { type Edit, protocols, type TransportCase } from "./transport-request.js";

const knownPaths = [
  "/v3/HealthCheck",
  "/v3/CreateBooking",
  "/booking.partner.v3.BookingService/HealthCheck",
  "/booking.partner.v3.BookingService/CreateBooking",
  "/v3",
  "/",
];

/** Targets that carry an authority of their own: absolute-form and scheme-relative, with garbage hosts. */
const authorityTarget: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom("http://", "https://", "//", "HTTP://"), garbageHost, fc.constantFrom(...knownPaths))
  .map(([scheme, host, path]) => `${scheme}${host}${path}`)
  .filter((target) => !target.includes(" "));

/** Request targets: double slashes, percent-encoding (invalid too), dot segments, queries, long, unknown. */
export const oddTarget: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "*",
      "//",
      "//v3/HealthCheck",
      "/v3//HealthCheck",
      "/booking.partner.v3.BookingService//HealthCheck",
      "//booking.partner.v3.BookingService/HealthCheck",
      "/v3/%48ealthCheck",
      "/booking.partner.v3.BookingService/%48ealthCheck",
      "/booking.partner.v3.BookingService%2FHealthCheck",
      "/v3/HealthCheck%",
      "/v3/%zz",
      "/%",
      "/booking.partner.v3.BookingService/HealthCheck%00",
      "/v3/../v3/HealthCheck",
      "/x/../booking.partner.v3.BookingService/HealthCheck",
      "/v3/./HealthCheck",
      "/../../etc/passwd",
      "/v3/HealthCheck?",
      "/v3/HealthCheck?a=b&a=c",
      "/booking.partner.v3.BookingService/HealthCheck?encoding=json&message=%7B%7D&connect=v1",
      "/booking.partner.v3.BookingService/HealthCheck?encoding=proto&base64=1&message=!!",
      "/v3/HealthCheck?%zz",
      "/v3/HealthCheck#frag",
      "/foo.Bar/Baz",
      "/booking.partner.v3.BookingService/Nope",
      "/booking.partner.v3.BookingService/",
      "/booking.partner.v3.OtherService/HealthCheck",
      "/grpc.health.v1.Health/Check",
      "http://127.0.0.1/v3/HealthCheck",
      "/v3/Heälth",
      "/booking.partner.v3.BookingService/😀",
      "\\v3\\HealthCheck",
      "/V3/HEALTHCHECK/",
    ),
  },
  { weight: 2, arbitrary: authorityTarget },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...knownPaths), oddText).map(([path, suffix]) => path + suffix) },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(...knownPaths), oddText).map(([path, query]) => `${path}?${query}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...knownPaths), fc.integer({ min: 1_000, max: 20_000 }))
      .map(([path, n]) => `${path}/${"a".repeat(n)}`),
  },
);

/** Request methods: other verbs, wrong case, unknown tokens. */
export const oddMethod: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "post", "Post", "get", "PRI", "QUERY"),
  fc.constantFrom("PROPFIND", "M-SEARCH", "FOO", "POST2"),
  fc.stringMatching(/^[A-Za-z!#$%&'*+.^_`|~-]{1,10}$/),
);

const protocol = fc.constantFrom(...protocols);
const seed = fc.nat({ max: fuzzSeeds.length - 1 });

/** A case: a valid call on some protocol, broken by `edits`. */
export const transportCase = (edits: fc.Arbitrary<Edit[]>): fc.Arbitrary<TransportCase> =>
  fc.record({ protocol, seed, edits });

/**
 * A deadline header of the call's own protocol (grpc-timeout for gRPC and gRPC-Web, connect-timeout-ms
 * otherwise): malformed, duplicated, zero, or valid and longer than a Node timer can hold.
 */
export const deadlineCase: fc.Arbitrary<TransportCase> = fc
  .record({ protocol, seed })
  .chain(({ protocol, seed }) =>
    (protocol.startsWith("grpc")
      ? header("grpc-timeout", grpcTimeout)
      : header("connect-timeout-ms", connectTimeout)
    ).map((edit): TransportCase => ({ protocol, seed, edits: [edit] })),
  );

/** Host fields on HTTP/1.x: garbage, none, several, and HTTP/1.0 (where Host is optional). */
export const hostEdits: fc.Arbitrary<Edit[]> = fc.oneof(
  garbageHost.map((v): Edit[] => [{ kind: "header", name: "Host", values: [v] }]),
  fc.constant<Edit[]>([{ kind: "header", name: "host", values: [] }]),
  fc.tuple(garbageHost, garbageHost).map(([a, b]): Edit[] => [{ kind: "header", name: "Host", values: [a, b] }]),
  garbageHost.map((v): Edit[] => [{ kind: "add", name: "Host", value: v }]),
  fc
    .tuple(fc.option(garbageHost, { nil: undefined }), fc.constantFrom("HTTP/1.0", "HTTP/1.1"))
    .map(([v, version]): Edit[] => [
      { kind: "header", name: "host", values: v === undefined ? [] : [v] },
      { kind: "version", value: version },
    ]),
);

/** :authority (and a `host` field) on HTTP/2: garbage, absent, both. */
export const authorityEdits: fc.Arbitrary<Edit[]> = fc.oneof(
  garbageHost.map((v): Edit[] => [{ kind: "pseudo", name: ":authority", value: v }]),
  garbageHost.map((v): Edit[] => [
    { kind: "pseudo", name: ":authority", value: null },
    { kind: "header", name: "host", values: [v] },
  ]),
  garbageHost.map((v): Edit[] => [{ kind: "header", name: "host", values: [v] }]),
);

const httpVersion = fc.constantFrom("HTTP/1.0", "HTTP/2.0", "HTTP/0.9", "HTTP/1.2", "http/1.1", "HTTP/11", "");

/** Request-line damage on HTTP/1.x: method, target or version alone (so each reaches the router), or together. */
export const requestLineEdits: fc.Arbitrary<Edit[]> = fc.oneof(
  oddMethod.map((value): Edit[] => [{ kind: "method", value }]),
  { weight: 2, arbitrary: oddTarget.map((value): Edit[] => [{ kind: "target", value }]) },
  httpVersion.map((value): Edit[] => [{ kind: "version", value }]),
  fc.tuple(oddMethod, oddTarget, httpVersion).map(([method, target, version]): Edit[] => [
    { kind: "method", value: method },
    { kind: "target", value: target },
    { kind: "version", value: version },
  ]),
);

const pseudoEdit: fc.Arbitrary<Edit> = fc.oneof(
  oddMethod.map((value): Edit => ({ kind: "pseudo", name: ":method", value })),
  oddTarget.map((value): Edit => ({ kind: "pseudo", name: ":path", value })),
  fc
    .constantFrom(null, "", "ftp", "HTTPS", "https", "h2c", "a b")
    .map((value): Edit => ({ kind: "pseudo", name: ":scheme", value })),
  fc.constant<Edit>({ kind: "pseudo", name: ":path", value: null }),
);

// HTTP/2 refuses a :path that does not start with "/", so an authority can only hide in "//host/...".
const schemeRelativePath = fc
  .tuple(garbageHost, fc.constantFrom(...knownPaths))
  .map(([host, path]) => `//${host}${path}`);

/** Pseudo-header oddities node's client lets through: :path alone (so it reaches the router), or a mix. */
export const pseudoEdits: fc.Arbitrary<Edit[]> = fc.oneof(
  fc.oneof(oddTarget, schemeRelativePath).map((value): Edit[] => [{ kind: "pseudo", name: ":path", value }]),
  fc.array(pseudoEdit, { minLength: 1, maxLength: 3 }),
);

/** CONNECT as node's client sends it: only :method and :authority. */
export const connectMethodEdits: Edit[] = [
  { kind: "pseudo", name: ":method", value: "CONNECT" },
  { kind: "pseudo", name: ":path", value: null },
  { kind: "pseudo", name: ":scheme", value: null },
];

const truncate = fc.nat({ max: 400 }).map((keep): Edit => ({ kind: "truncate", keep }));

/** A body that ends early on HTTP/1.1: cut short of its content-length, or chunks that stop or lie. */
export const http1TruncationEdits: fc.Arbitrary<Edit[]> = fc.oneof(
  truncate.map((edit) => [edit]),
  fc
    .record({
      kind: fc.constant("chunked" as const),
      size: fc.integer({ min: 1, max: 64 }),
      lie: fc.integer({ min: -3, max: 40 }),
      finish: fc.boolean(),
    })
    .chain((edit) => fc.option(truncate, { nil: undefined }).map((cut): Edit[] => (cut ? [cut, edit] : [edit]))),
);

/** A body that ends early on HTTP/2: the stream ends mid-body, with or without a content-length promising more. */
export const http2TruncationEdits: fc.Arbitrary<Edit[]> = fc
  .tuple(truncate, fc.option(fc.integer({ min: 1, max: 5_000 }), { nil: undefined }))
  .map(([edit, declared]): Edit[] =>
    declared === undefined ? [edit] : [edit, { kind: "header", name: "content-length", values: [String(declared)] }],
  );
