import type http2 from "node:http2";
import { createRegistry, fromBinary, isMessage } from "@bufbuild/protobuf";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { BadRequestSchema, ErrorInfoSchema, RetryInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { StatusSchema } from "../../gen/google/rpc/status_pb.js";

/** What a gRPC error carries in `grpc-status-details-bin`, decoded. */
export interface StatusDetails {
  code: number;
  message: string;
  errorInfo?: { reason: string; domain: string; metadata: Record<string, string> };
  violations: { field: string; description: string }[];
  retryDelaySec?: number;
}

const registry = createRegistry(ErrorInfoSchema, BadRequestSchema, RetryInfoSchema);

/** Decodes a binary google.rpc.Status with ErrorInfo, BadRequest and RetryInfo details. */
export function decodeStatusDetails(bytes: Uint8Array): StatusDetails {
  const status = fromBinary(StatusSchema, bytes);
  const decoded: StatusDetails = { code: status.code, message: status.message, violations: [] };
  for (const any of status.details) {
    const detail = anyUnpack(any, registry);
    if (isMessage(detail, ErrorInfoSchema)) {
      decoded.errorInfo = { reason: detail.reason, domain: detail.domain, metadata: { ...detail.metadata } };
    } else if (isMessage(detail, BadRequestSchema)) {
      decoded.violations.push(...detail.fieldViolations.map((v) => ({ field: v.field, description: v.description })));
    } else if (isMessage(detail, RetryInfoSchema)) {
      decoded.retryDelaySec = Number(detail.retryDelay?.seconds ?? 0n);
    }
  }
  return decoded;
}

/**
 * The same status as a list in wire order, each detail reduced to what identifies it (reason and domain,
 * the violated fields, or the type URL of anything else), to compare two servers' answers detail by detail.
 */
export function decodeStatusDetailList(bytes: Uint8Array): {
  code: number;
  message: string;
  details: ({ reason: string; domain: string } | { violations: string[] } | { type: string })[];
} {
  const status = fromBinary(StatusSchema, bytes);
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

/** One raw gRPC exchange: HTTP status, grpc-status and message, and the decoded details. */
export interface RawGrpcAnswer {
  httpStatus: number;
  grpcStatus: number;
  grpcMessage: string;
  details?: StatusDetails;
  /** The response message frame(s), when the call succeeded. */
  body: Buffer;
}

/** Frames `message` as one gRPC message: a flags byte (0: uncompressed) and a 4-byte big-endian length. */
export function grpcFrame(message: Uint8Array, flags = 0): Buffer {
  const header = Buffer.alloc(5);
  header[0] = flags;
  header.writeUInt32BE(message.byteLength, 1);
  return Buffer.concat([header, message]);
}

/**
 * Posts raw bytes as the body of a gRPC call over h2c, so a test controls every byte on the wire
 * (broken frames, garbage protobuf, invalid UTF-8) where a generated client would refuse to send them.
 */
export function rawGrpcCall(
  session: http2.ClientHttp2Session,
  method: string,
  body: Uint8Array,
  headers: Record<string, string> = {},
): Promise<RawGrpcAnswer> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ":method": "POST",
      ":path": `/booking.partner.v3.BookingService/${method}`,
      "content-type": "application/grpc",
      te: "trailers",
      ...headers,
    });
    let httpStatus = 0;
    const fields: Record<string, string> = {};
    const collect = (h: http2.IncomingHttpHeaders) => {
      for (const [key, value] of Object.entries(h)) if (typeof value === "string") fields[key] = value;
    };
    const chunks: Buffer[] = [];
    stream.on("response", (h) => {
      httpStatus = Number(h[":status"]);
      collect(h);
    });
    stream.on("trailers", collect);
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.on("error", reject);
    stream.on("close", () => {
      const bin = fields["grpc-status-details-bin"];
      resolve({
        httpStatus,
        grpcStatus: Number(fields["grpc-status"] ?? -1),
        grpcMessage: decodeURIComponent(fields["grpc-message"] ?? ""),
        ...(bin ? { details: decodeStatusDetails(Buffer.from(bin, "base64")) } : {}),
        body: Buffer.concat(chunks),
      });
    });
    stream.end(Buffer.from(body));
  });
}
