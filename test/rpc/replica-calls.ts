import { fromBinary, fromJson, toBinary } from "@bufbuild/protobuf";
import {
  CreateBookingRequestSchema,
  CreateBookingResponseSchema,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import { importFeed } from "../../src/feed/import-feed.js";
import { openStorage } from "../../src/store/open-storage.js";
import { postJson } from "../support/booking-server.js";
import { createGrpcClient, type GrpcBookingClient } from "../support/grpc-client.js";
import { type ChildServer, spawnChildServer } from "./child-server.js";

/** The protocols a CreateBooking can come in on. */
export type Protocol = "rest" | "connect" | "grpc";

/** One CreateBooking answer, in a shape the three protocols share. */
export interface CreateAnswer {
  protocol: Protocol;
  /** 200 for a gRPC OK, 503 for UNAVAILABLE, the HTTP status otherwise. */
  status: number;
  /** What the client received, for byte-for-byte comparison within one protocol. */
  body: string;
  bookingId?: string;
  failureCause?: string;
  replayed: boolean;
  retryAfter?: string;
}

/** Clients for a set of replicas: REST, Connect binary (raw fetch) and grpc-js. */
export interface ReplicaCaller {
  create(protocol: Protocol, replica: number, body: Record<string, unknown>): Promise<CreateAnswer>;
  close(): void;
}

/** Calls CreateBooking on replica `replica` over `protocol`; throws only when the replica cannot be reached. */
export function createReplicaCaller(servers: readonly ChildServer[]): ReplicaCaller {
  const grpcClients: GrpcBookingClient[] = servers.map((s) => createGrpcClient(new URL(s.url).host));
  const serverAt = (replica: number): ChildServer => {
    const server = servers[replica];
    if (!server) throw new Error(`no replica ${replica}`);
    return server;
  };
  const viaRest = async (server: ChildServer, body: object): Promise<CreateAnswer> => {
    const answer = await postJson(server.url, server.authHeader, "CreateBooking", body);
    return {
      protocol: "rest",
      status: answer.status,
      body: answer.text,
      bookingId: answer.json?.booking?.booking_id,
      failureCause: answer.json?.booking_failure?.cause,
      replayed: answer.headers.get("idempotent-replayed") === "true",
      ...(answer.headers.has("retry-after") ? { retryAfter: answer.headers.get("retry-after") ?? "" } : {}),
    };
  };
  const viaConnect = async (server: ChildServer, body: object): Promise<CreateAnswer> => {
    const request = fromJson(CreateBookingRequestSchema, body as never);
    const response = await fetch(`${server.url}/booking.partner.v3.BookingService/CreateBooking`, {
      method: "POST",
      headers: { authorization: server.authHeader, "content-type": "application/proto" },
      body: toBinary(CreateBookingRequestSchema, request),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const decoded = response.ok ? fromBinary(CreateBookingResponseSchema, bytes) : undefined;
    return {
      protocol: "connect",
      status: response.status,
      body: bytes.toString("hex"),
      ...(decoded?.booking ? { bookingId: decoded.booking.bookingId } : {}),
      replayed: response.headers.get("idempotent-replayed") === "true",
    };
  };
  const viaGrpc = async (replica: number, server: ChildServer, body: object): Promise<CreateAnswer> => {
    const client = grpcClients[replica];
    if (!client) throw new Error(`no gRPC client for replica ${replica}`);
    const result = await client.call("CreateBooking", body, { authorization: server.authHeader });
    const booking = result.response?.booking as { booking_id?: string } | undefined;
    return {
      protocol: "grpc",
      status: result.error ? (result.error.code === 14 ? 503 : 500) : 200,
      body: JSON.stringify(result.response ?? result.error?.details),
      ...(booking?.booking_id ? { bookingId: booking.booking_id } : {}),
      replayed: result.headers?.get("idempotent-replayed")?.[0] === "true",
    };
  };
  return {
    create(protocol, replica, body) {
      const server = serverAt(replica);
      if (protocol === "rest") return viaRest(server, body);
      if (protocol === "connect") return viaConnect(server, body);
      return viaGrpc(replica, server, body);
    },
    close: () => {
      for (const client of grpcClients) client.close();
    },
  };
}

/** Imports a feed (and policies) into the database at `url` before any replica starts. */
export async function seedDatabase(url: string, nowSec: number, feed: object, policies?: object): Promise<void> {
  const storage = await openStorage(url);
  try {
    await importFeed(
      storage.inventory,
      {
        feedFile: "feed.json",
        feedText: JSON.stringify(feed),
        ...(policies ? { policiesFile: "policies.json", policiesText: JSON.stringify(policies) } : {}),
      },
      { nowSec },
    );
  } finally {
    await storage.close();
  }
}

/** Seeds the database at `url`, then starts three `booking-server serve` replicas on it and clients for them. */
export async function startReplicas(
  url: string,
  nowSec: number,
  feed: object,
  policies?: object,
): Promise<{ replicas: ChildServer[]; caller: ReplicaCaller }> {
  await seedDatabase(url, nowSec, feed, policies);
  const replicas = await Promise.all([0, 1, 2].map(() => spawnChildServer(url)));
  return { replicas, caller: createReplicaCaller(replicas) };
}
