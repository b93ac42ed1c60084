import http2 from "node:http2";
import { createRegistry, fromBinary, isMessage } from "@bufbuild/protobuf";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { BadRequestSchema, ErrorInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { StatusSchema } from "../../gen/google/rpc/status_pb.js";

/** Everything an HTTP/2 exchange put on the wire, minus what differs on every call (date, request id). */
export interface RawExchange {
  headers: Record<string, unknown>;
  trailers: Record<string, unknown>;
  body: string;
}

/** Frames a message as one uncompressed gRPC message. */
export function grpcFrame(message: Uint8Array, flags = 0): Buffer {
  const header = Buffer.alloc(5);
  header[0] = flags;
  header.writeUInt32BE(message.byteLength, 1);
  return Buffer.concat([header, message]);
}

const comparable = (headers: http2.IncomingHttpHeaders): Record<string, unknown> => {
  const { date: _date, "x-request-id": requestId, ...rest } = headers;
  return { ...rest, ...(requestId ? { "x-request-id": "(set)" } : {}) };
};

/** Sends one request with exactly these headers and body bytes, and collects the answer. */
export async function rawExchange(
  url: string,
  headers: http2.OutgoingHttpHeaders,
  body: Uint8Array,
): Promise<RawExchange> {
  const session = http2.connect(url);
  try {
    const stream = session.request({ ":method": "POST", te: "trailers", ...headers });
    const answer: RawExchange = { headers: {}, trailers: {}, body: "" };
    const chunks: Buffer[] = [];
    stream.on("response", (h) => {
      answer.headers = comparable(h);
    });
    stream.on("trailers", (t) => {
      answer.trailers = comparable(t);
    });
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.end(body);
    await new Promise((resolve) => stream.once("close", resolve));
    answer.body = Buffer.concat(chunks).toString("hex");
    return answer;
  } finally {
    session.close();
  }
}

const registry = createRegistry(ErrorInfoSchema, BadRequestSchema);

/** Decodes `grpc-status-details-bin` (base64 google.rpc.Status) into plain values. */
export function decodeStatusDetails(base64: string) {
  const status = fromBinary(StatusSchema, Buffer.from(base64, "base64"));
  return {
    code: status.code,
    message: status.message,
    details: status.details.map((any) => {
      const detail = anyUnpack(any, registry);
      if (isMessage(detail, ErrorInfoSchema)) return { reason: detail.reason, domain: detail.domain };
      if (isMessage(detail, BadRequestSchema)) return { violations: detail.fieldViolations.map((v) => v.field) };
      return { type: any.typeUrl };
    }),
  };
}
