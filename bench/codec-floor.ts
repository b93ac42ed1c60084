/**
 * What encoding costs for the messages of the heaviest bench rows, set against the budget a ratio
 * target leaves: a row at ratio r of its no-op may cost no-op / r µs of server time, so
 * (1 / r - 1) × no-op µs on top of the no-op. Decoding the request and encoding the response are work
 * every such call does, whatever the storage. Each is timed twice: with protobuf-es alone, and with
 * what the server runs (JSON.parse and the generated reader, the generated JSON and binary writers;
 * binary requests are read by fromBinary in both).
 *
 *   npm run bench:codec-floor                     # budgets from the newest bench/results/*.json
 *   npm run bench:codec-floor -- results.json     # budgets from that run's no-op rows
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  create,
  type DescMessage,
  fromBinary,
  fromJsonString,
  type MessageShape,
  toBinary,
  toJsonString,
} from "@bufbuild/protobuf";
import { BookingStatus } from "../gen/booking/partner/v3/booking_pb.js";
import {
  BatchAvailabilityLookupRequestSchema,
  BatchAvailabilityLookupResponseSchema,
  ListBookingsRequestSchema,
  ListBookingsResponseSchema,
} from "../gen/booking/partner/v3/booking_service_pb.js";
import { ConfirmationMode } from "../gen/booking/partner/v3/slot_pb.js";
import { createProtoBinaryWriter } from "../src/server/proto-binary-writer.js";
import { createProtoJsonReader } from "../src/server/proto-json-reader.js";
import { createProtoJsonWriter } from "../src/server/proto-json-writer.js";
import {
  benchServiceId,
  bookingsPerListUser,
  createBenchInventory,
  merchantIdOf,
  slotStartOf,
} from "./bench-inventory.js";
import { createRequestSource } from "./request-source.js";
import { seedUserOf } from "./seed-database.js";

const target = 0.4;
const inventory = createBenchInventory(100, 1000, Math.floor(Date.now() / 1000));

/** Median µs per call of `fn` over 9 rounds of `n` calls, after a warm-up. */
function time(fn: () => unknown, n = 2000): number {
  for (let i = 0; i < n; i++) fn();
  const rounds: number[] = [];
  for (let r = 0; r < 9; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    rounds.push(Number(process.hrtime.bigint() - start) / n / 1000);
  }
  return rounds.sort((a, b) => a - b)[4] as number;
}

interface Row {
  name: string;
  /** Decoding the request plus encoding the response, per protocol (µs), with protobuf-es alone. */
  library: { rest: number; grpc: number };
  /** The same with the codecs the server runs. */
  server: { rest: number; grpc: number };
}

const readJson = createProtoJsonReader();
const writeJson = createProtoJsonWriter({ useProtoFieldName: true });
const writeBinary = createProtoBinaryWriter();

function codecRow<I extends DescMessage, O extends DescMessage>(
  name: string,
  input: { schema: I; message: MessageShape<I> },
  output: { schema: O; message: MessageShape<O> },
): Row {
  const json = toJsonString(input.schema, input.message, { useProtoFieldName: true });
  const binary = toBinary(input.schema, input.message);
  const options = { ignoreUnknownFields: true, useProtoFieldName: true };
  const cost = {
    decodeJson: time(() => fromJsonString(input.schema, json, options)),
    readJson: time(() => readJson(input.schema, JSON.parse(json))),
    decodeBinary: time(() => fromBinary(input.schema, binary)),
    encodeJson: time(() => toJsonString(output.schema, output.message, options)),
    writeJson: time(() => writeJson(output.schema, output.message)),
    encodeBinary: time(() => toBinary(output.schema, output.message)),
    writeBinary: time(() => writeBinary.encode(output.schema, output.message)),
  };
  const outJson = toJsonString(output.schema, output.message, options).length;
  const outBinary = toBinary(output.schema, output.message).length;
  const µs = (n: number) => `${n.toFixed(1).padStart(6)} µs`;
  console.log(`${name}`);
  console.log(
    `  request  ${String(json.length).padStart(6)} B JSON   protobuf-es ${µs(cost.decodeJson)}  server ${µs(cost.readJson)}` +
      `  │ ${String(binary.length).padStart(6)} B binary  ${µs(cost.decodeBinary)}`,
  );
  console.log(
    `  response ${String(outJson).padStart(6)} B JSON   protobuf-es ${µs(cost.encodeJson)}  server ${µs(cost.writeJson)}` +
      `  │ ${String(outBinary).padStart(6)} B binary  protobuf-es ${µs(cost.encodeBinary)}  server ${µs(cost.writeBinary)}`,
  );
  return {
    name,
    library: { rest: cost.decodeJson + cost.encodeJson, grpc: cost.decodeBinary + cost.encodeBinary },
    server: { rest: cost.readJson + cost.writeJson, grpc: cost.decodeBinary + cost.writeBinary },
  };
}

const lookup = createRequestSource({ kind: "batch-lookup", inventory, tag: "floor", slotTimes: 100 });
const lookupRequest = create(BatchAvailabilityLookupRequestSchema, lookup.next(7) as never);
const lookupResponse = create(BatchAvailabilityLookupResponseSchema, {
  slotTimeAvailability: lookupRequest.slotTime.map((slotTime, i) => ({ slotTime, available: i % 3 !== 0 })),
});

const list = createRequestSource({ kind: "list-bookings", inventory, tag: "floor" });
const listResponse = create(ListBookingsResponseSchema, {
  bookings: Array.from({ length: bookingsPerListUser }, (_, n) => ({
    bookingId: `bl-${n}`,
    slot: {
      merchantId: merchantIdOf(0),
      serviceId: benchServiceId,
      startSec: BigInt(slotStartOf(inventory, n)),
      durationSec: BigInt(inventory.durationSec),
      confirmationMode: ConfirmationMode.SYNCHRONOUS,
    },
    userInformation: seedUserOf("list-user-0"),
    status: BookingStatus.CONFIRMED,
    paymentInformation: {},
  })),
});

console.log("codec cost of the messages of the heaviest rows (median of 9 rounds)\n");
const rows = [
  codecRow(
    "BatchAvailabilityLookup, 100 slots",
    { schema: BatchAvailabilityLookupRequestSchema, message: lookupRequest },
    { schema: BatchAvailabilityLookupResponseSchema, message: lookupResponse },
  ),
  codecRow(
    "ListBookings, user with 100",
    { schema: ListBookingsRequestSchema, message: create(ListBookingsRequestSchema, list.next(0) as never) },
    { schema: ListBookingsResponseSchema, message: listResponse },
  ),
];

/** The no-op rows' server µs per request of a results file (the newest one by default). */
function noopCosts(file: string | undefined): { file: string; rest: number; grpc: number } | undefined {
  const dir = "bench/results";
  const chosen =
    file ??
    readdirSync(dir)
      .filter((name) => /^\d{4}-.*Z\.json$/.test(name))
      .sort()
      .map((name) => join(dir, name))
      .pop();
  if (!chosen) return undefined;
  const run = JSON.parse(readFileSync(chosen, "utf8")) as { rows: { id: string; serverCpuUs?: number }[] };
  const cost = (id: string) => run.rows.find((row) => row.id === id)?.serverCpuUs;
  const rest = cost("health/rest");
  const grpc = cost("health/grpc");
  return rest && grpc ? { file: chosen, rest, grpc } : undefined;
}

const noop = noopCosts(process.argv[2]);
if (!noop) {
  console.log("\nno results file with both no-op rows: run `npm run bench` first for the budgets");
} else {
  console.log(`\nbudget at ${target * 100} % of the no-op, from ${noop.file} (server µs per request)\n`);
  for (const row of rows) {
    for (const protocol of ["rest", "grpc"] as const) {
      const budget = (1 / target - 1) * noop[protocol];
      const share = (codec: number) => `${codec.toFixed(0).padStart(4)} (${((codec / budget) * 100).toFixed(0)} %)`;
      console.log(
        `${row.name.padEnd(34)} ${protocol.padEnd(4)}  no-op ${noop[protocol].toFixed(0).padStart(4)}  ` +
          `budget above it ${budget.toFixed(0).padStart(4)}  codecs: protobuf-es ${share(row.library[protocol])}` +
          `  server ${share(row.server[protocol])}`,
      );
    }
  }
}
