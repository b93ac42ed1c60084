import { create, type DescMessage, toBinary } from "@bufbuild/protobuf";
import { anyPack } from "@bufbuild/protobuf/wkt";
import type { ConnectError } from "@connectrpc/connect";
import { BadRequestSchema, ErrorInfoSchema, RetryInfoSchema } from "../../gen/google/rpc/error_details_pb.js";
import { StatusSchema } from "../../gen/google/rpc/status_pb.js";

const detailSchemas: DescMessage[] = [ErrorInfoSchema, BadRequestSchema, RetryInfoSchema];

/**
 * A trailers-only gRPC answer (HTTP 200, `grpc-status` in the headers, no body) with the error's
 * details in `grpc-status-details-bin`, for calls that never reach connect-node (an unknown method).
 * Send it without writing the headers first, so HTTP/2 carries it in one HEADERS frame with END_STREAM.
 */
export function toGrpcErrorReply(
  error: ConnectError,
  contentType: string,
): { status: number; headers: Record<string, string>; body: string } {
  const details = detailSchemas.flatMap((schema) => error.findDetails(schema).map((d) => anyPack(schema, d)));
  const status = create(StatusSchema, { code: error.code, message: error.rawMessage, details });
  const headers: Record<string, string> = {
    "content-type": replyContentType(contentType.toLowerCase()),
    "grpc-status": String(error.code),
    "grpc-message": encodeURIComponent(error.rawMessage),
    "grpc-status-details-bin": Buffer.from(toBinary(StatusSchema, status)).toString("base64"),
  };
  error.metadata.forEach((value, key) => {
    headers[key] = value;
  });
  return { status: 200, headers, body: "" };
}

function replyContentType(requested: string): string {
  if (requested.startsWith("application/grpc-web-text")) return "application/grpc-web-text+proto";
  if (requested.startsWith("application/grpc-web")) return "application/grpc-web+proto";
  return "application/grpc";
}
