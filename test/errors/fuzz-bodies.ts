import { type DescMessage, fromJson, toBinary } from "@bufbuild/protobuf";
import fc from "fast-check";
import {
  BatchAvailabilityLookupRequestSchema,
  CheckAvailabilityRequestSchema,
  CreateBookingRequestSchema,
  GetBookingStatusRequestSchema,
  HealthCheckRequestSchema,
  ListBookingsRequestSchema,
  UpdateBookingRequestSchema,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import { grpcFrame } from "../support/grpc-wire.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const start = "1900086400";
// Valid requests as Google sends them, about a merchant the inventory does not have: no fuzzed call
// can book anything, so the database must end as it began.
const slot = { merchant_id: "fuzz-m", service_id: "fuzz-s", start_sec: start, duration_sec: "1800" };
const user = {
  user_id: "fuzz-user",
  given_name: "Fuzz",
  family_name: "Tester",
  telephone: "+1 415-736-0000",
  email: "fuzz@example.com",
};

/** Every RPC with a valid request and its schema, the seeds the generators mutate. */
export const fuzzSeeds: { method: string; schema: DescMessage; json: Json }[] = [
  { method: "HealthCheck", schema: HealthCheckRequestSchema, json: {} },
  {
    method: "BatchAvailabilityLookup",
    schema: BatchAvailabilityLookupRequestSchema,
    json: {
      merchant_id: "fuzz-m",
      slot_time: [
        { service_id: "fuzz-s", start_sec: start, duration_sec: "1800", resource_ids: { party_size: 2 } },
        { service_id: "fuzz-s", start_sec: start, confirmation_mode: "CONFIRMATION_MODE_SYNCHRONOUS" },
      ],
    },
  },
  { method: "CheckAvailability", schema: CheckAvailabilityRequestSchema, json: { slot } },
  {
    method: "CreateBooking",
    schema: CreateBookingRequestSchema,
    json: {
      slot: { ...slot, resources: { party_size: 2 } },
      user_information: user,
      payment_information: { prepayment_status: "PREPAYMENT_NOT_PROVIDED" },
      idempotency_token: "fuzz-token",
      additional_request: "window seat",
    },
  },
  {
    method: "UpdateBooking",
    schema: UpdateBookingRequestSchema,
    json: {
      booking: { booking_id: "fuzz-booking", status: "CANCELED", slot: { start_sec: start, duration_sec: "60" } },
    },
  },
  { method: "GetBookingStatus", schema: GetBookingStatusRequestSchema, json: { booking_id: "fuzz-booking" } },
  { method: "ListBookings", schema: ListBookingsRequestSchema, json: { user_id: "fuzz-user" } },
];

const weirdValue: fc.Arbitrary<Json> = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.string({ minLength: 2001, maxLength: 4000 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(1e308, -1, 0, 2 ** 63, -(2 ** 63), 2 ** 53 + 2, 0.5),
  fc.constantFrom("1e400", "-1", "99999999999999999999999", "0x10", "", " ", "NaN", "soon", "CANCELED", "UNKNOWN"),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);

function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, child]) => pathsOf(child, [...prefix, key]))];
}

function mutate(json: Json, path: (string | number)[], replacement: Json | undefined): Json {
  if (path.length === 0) return replacement ?? null;
  const copy = structuredClone(json) as Record<string | number, Json>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, Json>;
  const last = path[path.length - 1] as string | number;
  if (replacement === undefined) delete node[last];
  else node[last] = replacement;
  return copy;
}

/** A key the schema does not have: any text, or a name every JavaScript object answers to. */
const strayKey = fc.oneof(
  fc.string(),
  fc.constantFrom("__proto__", "constructor", "toString", "valueOf", "hasOwnProperty", "prototype"),
);

/** A seed with one value replaced by something odd, or removed, or a stray key added. */
const mutatedJson = (seed: Json): fc.Arbitrary<Json> => {
  const paths = pathsOf(seed);
  const removable = paths.filter((p) => p.length > 0);
  return fc.oneof(
    fc.tuple(fc.constantFrom(...paths), weirdValue).map(([path, value]) => mutate(seed, path, value)),
    fc.tuple(strayKey, weirdValue).map(([key, value]) => ({ ...(seed as object), [key]: value }) as Json),
    ...(removable.length > 0 ? [fc.constantFrom(...removable).map((path) => mutate(seed, path, undefined))] : []),
  );
};

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Byte-level damage: truncation, inserted bytes (invalid UTF-8 among them), a replaced byte. */
const damaged = (bytes: Uint8Array): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    fc.nat(bytes.length).map((at) => bytes.slice(0, at)),
    fc
      .tuple(
        fc.nat(bytes.length),
        fc.oneof(
          fc.uint8Array({ minLength: 1, maxLength: 8 }),
          fc.constantFrom(new Uint8Array([0xff]), new Uint8Array([0xc3, 0x28]), new Uint8Array([0xed, 0xa0, 0x80])),
        ),
      )
      .map(([at, insert]) => new Uint8Array([...bytes.slice(0, at), ...insert, ...bytes.slice(at)])),
    fc.tuple(fc.nat(Math.max(0, bytes.length - 1)), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => {
      const copy = bytes.slice();
      if (copy.length > 0) copy[at] = byte;
      return copy;
    }),
  );

const deepJson = fc
  .integer({ min: 50, max: 20_000 })
  .chain((depth) =>
    fc.constantFrom(
      `{"slot":${"[".repeat(depth)}${"]".repeat(depth)}}`,
      `{"slot":{"resources":${'{"x":'.repeat(depth)}1${"}".repeat(depth)}}}`,
      `{"booking":${'{"booking":'.repeat(depth)}{}${"}".repeat(depth)}}`,
      `${"[".repeat(depth)}${"]".repeat(depth)}`,
    ),
  );

/** A JSON request body for `seed`'s method: mutated values, broken text, deep nesting or noise. */
export const jsonBody = (seed: Json): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    { weight: 4, arbitrary: mutatedJson(seed).map((json) => encode(JSON.stringify(json))) },
    { weight: 2, arbitrary: mutatedJson(seed).chain((json) => damaged(encode(JSON.stringify(json)))) },
    { weight: 1, arbitrary: deepJson.map(encode) },
    { weight: 1, arbitrary: fc.jsonValue().map((json) => encode(JSON.stringify(json))) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
  );

// Unknown field 99 as nested groups: parsers that recurse on groups meet their limit here.
const deepGroups = (depth: number): Uint8Array =>
  new Uint8Array([...Array(depth).fill([0x9b, 0x06]).flat(), ...Array(depth).fill([0x9c, 0x06]).flat()]);

/** A gRPC request body for `seed`'s method: damaged protobuf, odd frames, invalid UTF-8, deep groups, noise. */
export const grpcBody = (seed: { schema: DescMessage; json: Json }): fc.Arbitrary<Uint8Array> => {
  const valid = toBinary(seed.schema, fromJson(seed.schema, seed.json as never));
  // Field 1 (a string or message in every request) holding invalid UTF-8.
  const badUtf8 = new Uint8Array([0x0a, 0x02, 0xc3, 0x28]);
  const message = fc.oneof(
    damaged(valid),
    fc.uint8Array({ maxLength: 300 }),
    fc.constant(new Uint8Array([...valid, ...badUtf8])),
    fc.integer({ min: 10, max: 5000 }).map(deepGroups),
  );
  return fc.oneof(
    { weight: 5, arbitrary: message.map(grpcFrame) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(message, fc.integer({ min: -5, max: 5 }), fc.constantFrom(0, 1, 0x80))
        .map(([m, skew, flag]) => {
          const frame = grpcFrame(m);
          frame.writeUInt8(flag, 0);
          frame.writeUInt32BE(Math.max(0, m.byteLength + skew), 1);
          return new Uint8Array(frame);
        }),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(message, message).map(([a, b]) => new Uint8Array([...grpcFrame(a), ...grpcFrame(b)])),
    },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }) },
  );
};
