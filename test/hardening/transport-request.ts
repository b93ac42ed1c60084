import type http2 from "node:http2";
import { fromJson, toBinary } from "@bufbuild/protobuf";
import { fuzzSeeds } from "../errors/fuzz-bodies.js";
import { grpcFrame } from "../support/grpc-wire.js";

/** Every way a client can call the service on the one port. */
export const protocols = ["rest", "connect-json", "connect-proto", "grpc", "grpc-web"] as const;
export type Protocol = (typeof protocols)[number];

/** One change to a valid request; plain data, so fast-check prints a readable counterexample. */
export type Edit =
  /** Replaces every field named `name` with one field per value (none: removes it). */
  | { kind: "header"; name: string; values: string[] }
  /** Adds one field after the others. */
  | { kind: "add"; name: string; value: string }
  /** `count` copies of one field. */
  | { kind: "many"; name: string; value: string; count: number }
  /** One field whose value is `size` bytes long. */
  | { kind: "huge"; name: string; size: number }
  /** The request method (HTTP/1.1 request line or `:method`). */
  | { kind: "method"; value: string }
  /** The request target (`:path` on HTTP/2). */
  | { kind: "target"; value: string }
  /** The HTTP version of the request line (HTTP/1.x only). */
  | { kind: "version"; value: string }
  /** An HTTP/2 pseudo-header set to a value, or left out (null). */
  | { kind: "pseudo"; name: ":authority" | ":method" | ":path" | ":scheme"; value: string | null }
  /** Only the first `keep` bytes of the body are sent, then the body (or connection) ends. */
  | { kind: "truncate"; keep: number }
  /** HTTP/1.1 chunked body of `size`-byte chunks; the first one's size line off by `lie`; maybe unfinished. */
  | { kind: "chunked"; size: number; lie: number; finish: boolean };

/** A valid call of one RPC on one protocol, and the edits that break it. */
export interface TransportCase {
  protocol: Protocol;
  /** Index into the body seeds (test/errors/fuzz-bodies.ts): RPCs about a merchant nobody has. */
  seed: number;
  edits: Edit[];
}

/** A request ready to serialise: method, target, ordered fields and body. */
export interface RawRequest {
  method: string;
  target: string;
  version: string;
  /** `[name, value]` in wire order; on HTTP/1.1 the Host field is among them. */
  fields: [string, string][];
  body: Buffer;
  /** Body bytes actually sent (less than `body` when truncated). */
  sent: Buffer;
  pseudo: Partial<Record<":authority" | ":method" | ":path" | ":scheme", string | null>>;
}

const servicePath = "/booking.partner.v3.BookingService/";

/** Who sends the request: the server's address, the credential, and the wire (HTTP/1.x or HTTP/2). */
export interface Sender {
  authority: string;
  authorization: string;
  http2: boolean;
}

function baseRequest(protocol: Protocol, seedIndex: number, sender: Sender): RawRequest {
  const seed = fuzzSeeds[seedIndex % fuzzSeeds.length] as (typeof fuzzSeeds)[number];
  const json = Buffer.from(JSON.stringify(seed.json));
  const binary = Buffer.from(toBinary(seed.schema, fromJson(seed.schema, seed.json as never)));
  const kinds: Record<Protocol, { path: string; fields: [string, string][]; body: Buffer }> = {
    rest: { path: `/v3/${seed.method}`, fields: [["content-type", "application/json"]], body: json },
    "connect-json": {
      path: servicePath + seed.method,
      fields: [
        ["content-type", "application/json"],
        ["connect-protocol-version", "1"],
      ],
      body: json,
    },
    "connect-proto": {
      path: servicePath + seed.method,
      fields: [
        ["content-type", "application/proto"],
        ["connect-protocol-version", "1"],
      ],
      body: binary,
    },
    grpc: {
      path: servicePath + seed.method,
      fields: [
        ["content-type", "application/grpc"],
        ["te", "trailers"],
      ],
      body: grpcFrame(binary),
    },
    "grpc-web": {
      path: servicePath + seed.method,
      fields: [
        ["content-type", "application/grpc-web+proto"],
        ["x-grpc-web", "1"],
      ],
      body: grpcFrame(binary),
    },
  };
  const { path, fields, body } = kinds[protocol];
  return {
    method: "POST",
    target: path,
    version: "HTTP/1.1",
    // HTTP/2 carries the authority as a pseudo-header, and gRPC clients send no content-length there.
    fields: sender.http2
      ? [["authorization", sender.authorization], ...fields]
      : [
          ["host", sender.authority],
          ["authorization", sender.authorization],
          ...fields,
          ["content-length", String(body.length)],
        ],
    body,
    sent: body,
    pseudo: {},
  };
}

/** Builds the request a case describes. */
export function buildRequest(c: TransportCase, sender: Sender): RawRequest {
  const request = baseRequest(c.protocol, c.seed, sender);
  for (const edit of c.edits) {
    switch (edit.kind) {
      case "header": {
        const name = edit.name.toLowerCase();
        const at = request.fields.findIndex(([n]) => n.toLowerCase() === name);
        const rest = request.fields.filter(([n]) => n.toLowerCase() !== name);
        const added = edit.values.map((value): [string, string] => [edit.name, value]);
        rest.splice(at < 0 ? rest.length : at, 0, ...added);
        request.fields = rest;
        break;
      }
      case "add":
        request.fields.push([edit.name, edit.value]);
        break;
      case "many":
        for (let i = 0; i < edit.count; i++) request.fields.push([edit.name, edit.value]);
        break;
      case "huge":
        request.fields.push([edit.name, "x".repeat(edit.size)]);
        break;
      case "method":
        request.method = edit.value;
        break;
      case "target":
        request.target = edit.value;
        break;
      case "version":
        request.version = edit.value;
        break;
      case "pseudo":
        request.pseudo[edit.name] = edit.value;
        break;
      case "truncate":
        request.sent = request.body.subarray(0, Math.min(edit.keep, Math.max(0, request.body.length - 1)));
        break;
      case "chunked":
        request.fields = request.fields.filter(([n]) => n.toLowerCase() !== "content-length");
        request.fields.push(["transfer-encoding", "chunked"]);
        request.sent = chunked(request.sent, edit);
        break;
    }
  }
  return request;
}

function chunked(body: Buffer, edit: { size: number; lie: number; finish: boolean }): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < body.length; at += edit.size) {
    const chunk = body.subarray(at, at + edit.size);
    const declared = at === 0 ? Math.max(0, chunk.length + edit.lie) : chunk.length;
    parts.push(Buffer.from(`${declared.toString(16)}\r\n`), chunk, Buffer.from("\r\n"));
  }
  if (edit.finish) parts.push(Buffer.from("0\r\n\r\n"));
  return Buffer.concat(parts);
}

/** The request as HTTP/1.x bytes; header text is written as UTF-8, as a careless client would. */
export function http1Bytes(request: RawRequest): Buffer {
  const line =
    request.version === ""
      ? `${request.method} ${request.target}`
      : `${request.method} ${request.target} ${request.version}`;
  const head = [line, ...request.fields.map(([name, value]) => `${name}: ${value}`)].join("\r\n");
  return Buffer.concat([Buffer.from(`${head}\r\n\r\n`, "utf8"), request.sent]);
}

/**
 * Whether the server may still be waiting for body bytes once `http1Bytes` is written: then the
 * client half-closes, as one that gave up would, instead of waiting for the server's request timeout.
 */
export function http1NeedsEof(request: RawRequest): boolean {
  const lengths = request.fields.filter(([n]) => n.toLowerCase() === "content-length").map(([, v]) => v.trim());
  const declared = Math.max(0, ...lengths.filter((v) => /^\d+$/.test(v)).map(Number));
  const encoded = request.fields.some(([n]) => n.toLowerCase() === "transfer-encoding");
  return encoded || declared > request.sent.length;
}

/** The request as node http2 client headers (fields named alike become one multi-value entry). */
export function http2Headers(request: RawRequest): http2.OutgoingHttpHeaders {
  const headers: http2.OutgoingHttpHeaders = { ":method": request.method, ":path": request.target };
  for (const [name, value] of request.fields) {
    const key = name.toLowerCase();
    const before = headers[key];
    headers[key] = before === undefined ? value : [...(Array.isArray(before) ? before : [String(before)]), value];
  }
  for (const [name, value] of Object.entries(request.pseudo)) {
    if (value === null) delete headers[name];
    else headers[name] = value;
  }
  return headers;
}
