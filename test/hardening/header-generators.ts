import fc from "fast-check";
import type { Edit } from "./transport-request.js";

export const noLineBreak = (value: string): boolean => !/[\r\n]/.test(value);

/** Host / :authority values a confused or hostile client sends. */
export const garbageHost: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom(
      "[[[",
      "a b",
      "%zz",
      "",
      " ",
      "[",
      "]",
      "[]",
      "[::1",
      "[::1]:80",
      "::1",
      "[fe80::1%eth0]",
      "localhost:99999",
      "localhost:-1",
      "localhost:abc",
      "http://x",
      "x/y",
      "x?y",
      "x#y",
      "user@host",
      "a:b:c",
      "..",
      "\\",
      "%",
      "exämple.com",
      "例え.テスト",
      "😀",
      "a\tb",
      "127.0.0.1:0",
    ),
    fc.string({ maxLength: 30 }),
    fc.string({ unit: "grapheme", maxLength: 12 }),
    fc.integer({ min: 256, max: 12_000 }).map((n) => "h".repeat(n)),
  )
  .filter(noLineBreak);

/** Replaces field `name` with one or two values drawn from `values`. */
export const header = (name: string, values: fc.Arbitrary<string>): fc.Arbitrary<Edit> =>
  fc.array(values, { minLength: 1, maxLength: 2 }).map((vs) => ({ kind: "header", name, values: vs }));

/** Short printable or unicode text, on one line. */
export const oddText = fc
  .oneof(fc.string({ maxLength: 16 }), fc.string({ unit: "grapheme", maxLength: 6 }))
  .filter(noLineBreak);

const contentLength = fc.oneof(
  fc.constantFrom("-1", "abc", "1e3", "0x10", " 7", "+5", "99999999999999999999", "", "5, 5", "5,6", "1.5", "0"),
  fc.integer({ min: 0, max: 600 }).map(String),
);
// Valid by the protocols' grammar (at most 8 digits; 10 for connect-timeout-ms) and longer than the
// 2^31-1 ms a Node timer can hold.
const hugeGrpcTimeout = fc.oneof(
  fc.integer({ min: 597, max: 99_999_999 }).map((n) => `${n}H`),
  fc.integer({ min: 35_792, max: 99_999_999 }).map((n) => `${n}M`),
  fc.integer({ min: 2_147_484, max: 99_999_999 }).map((n) => `${n}S`),
);
const hugeConnectTimeout = fc.integer({ min: 2 ** 31, max: 9_999_999_999 }).map(String);

/** grpc-timeout values: huge but valid, malformed, out of grammar. */
export const grpcTimeout = fc.oneof(
  hugeGrpcTimeout,
  fc.constantFrom("700H", "1m", "99999999S", "100000000S", "0S", "0n", "1n", "-1S", "S", "1", "1.5S", "1 S", "9999H"),
  fc
    .tuple(fc.integer({ min: 0, max: 999_999_999 }), fc.constantFrom("H", "M", "S", "m", "u", "n", "x", ""))
    .map(([n, unit]) => `${n}${unit}`),
  oddText,
);
/** connect-timeout-ms values: huge but valid, negative, malformed. */
export const connectTimeout = fc.oneof(
  hugeConnectTimeout,
  fc.constantFrom("-1", "abc", "0", "1", "99999999999", "1e3", "", "2147483648", "0x10", " 5", "10000000000"),
  fc.integer({ min: -10, max: 2 ** 40 }).map(String),
  oddText,
);
const contentType = fc.oneof(
  fc.constantFrom(
    "application/json; charset=latin1",
    "APPLICATION/JSON",
    "application/json;;;",
    "application/grpc+json",
    "application/grpc-web-text",
    "application/grpc-web+json",
    "application/grpc+foo",
    "application/connect+json",
    "application/connect+proto",
    "application/proto; charset=utf-8",
    "text/plain",
    "multipart/form-data; boundary=x",
    "",
    "*/*",
    "application/",
  ),
  oddText,
);
const credentials = fc.oneof(
  fc.constantFrom("Basic", "Basic ", "Basic !!!", "Bearer x", "basic cGFydG5lcjpzM2NyZXQtUGE1NQ==", "Basic ===="),
  oddText,
);

/** One field changed to something odd; shared by HTTP/1.1 and HTTP/2. */
export const headerEdit: fc.Arbitrary<Edit> = fc.oneof(
  header("content-length", contentLength),
  header("te", fc.constantFrom("trailers", "gzip", "", "trailers, deflate", "TRAILERS", "chunked", "garbage")),
  header("grpc-timeout", grpcTimeout),
  header("connect-timeout-ms", connectTimeout),
  header("content-type", contentType),
  header("connect-protocol-version", fc.constantFrom("1", "2", "", "0", "v1", "1, 1")),
  header("grpc-encoding", fc.constantFrom("gzip", "br", "identity", "deflate", "zstd", "", "garbage")),
  header("content-encoding", fc.constantFrom("gzip", "br", "identity", "", "garbage")),
  header("connect-content-encoding", fc.constantFrom("gzip", "br", "garbage")),
  header("grpc-accept-encoding", oddText),
  header("accept-encoding", oddText),
  header("authorization", credentials),
  header(
    "x-request-id",
    fc.oneof(
      oddText,
      fc.integer({ min: 200, max: 4000 }).map((n) => "r".repeat(n)),
    ),
  ),
  header("x-grpc-web", oddText),
  header("origin", fc.constantFrom("null", "http://[[[", "https://example.com", "")),
  fc.record({
    kind: fc.constant("huge" as const),
    name: fc.constantFrom("x-fuzz", "authorization", "grpc-timeout", "content-type", "x-request-id", "cookie"),
    size: fc.integer({ min: 1_000, max: 70_000 }),
  }),
  fc.record({
    kind: fc.constant("many" as const),
    name: fc.constantFrom("x-dup", "authorization", "content-type", "grpc-timeout", "te", "connect-protocol-version"),
    value: fc.constantFrom("1", "trailers", "application/json", "Basic cGFydG5lcjpzM2NyZXQtUGE1NQ==", "5S"),
    count: fc.integer({ min: 2, max: 400 }),
  }),
);

/** HTTP/1.1-only framing and connection fields. */
export const http1HeaderEdit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 6, arbitrary: headerEdit },
  {
    weight: 1,
    arbitrary: header(
      "transfer-encoding",
      fc.constantFrom("chunked", "gzip", "chunked, chunked", "identity", "gzip, chunked", "chunked, gzip", ""),
    ),
  },
  { weight: 1, arbitrary: header("expect", fc.constantFrom("100-continue", "garbage", "")) },
  { weight: 1, arbitrary: header("connection", fc.constantFrom("close", "upgrade", "keep-alive, garbage", "te")) },
  { weight: 1, arbitrary: header("upgrade", fc.constantFrom("h2c", "websocket", "garbage")) },
);

/**
 * Fields node's HTTP/2 client refuses to send twice (ERR_HTTP2_HEADER_SINGLE_VALUE) among those
 * `headerEdit` names. The request already carries authorization and content-type, so a `huge` or
 * `many` edit of one of them would send it twice too.
 */
const http2SingleValueFields = new Set(["authorization", "content-type", "content-length", "content-encoding"]);

/** Whether node's HTTP/2 client puts this edit on the wire (it refuses any TE but one "trailers" as well). */
export function sendableOverHttp2(edit: Edit): boolean {
  switch (edit.kind) {
    case "header":
      if (edit.name === "te") return edit.values.length === 1 && edit.values[0] === "trailers";
      return !http2SingleValueFields.has(edit.name) || edit.values.length < 2;
    case "many":
      return edit.name !== "te" && !http2SingleValueFields.has(edit.name);
    case "huge":
      return !http2SingleValueFields.has(edit.name);
    default:
      return true;
  }
}

/**
 * `headerEdit` less what node's HTTP/2 client refuses to send: such a case never reaches the
 * server, so over HTTP/2 it would only spend the property's runs (HTTP/1.1 sends them byte for byte).
 */
export const http2HeaderEdit: fc.Arbitrary<Edit> = headerEdit.filter(sendableOverHttp2);
