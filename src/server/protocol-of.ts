/** The RPC protocol a content type speaks: gRPC-Web, gRPC, or (anything else) Connect. */
export type RpcProtocol = "grpc-web" | "grpc" | "connect";

/** Names the protocol of a call from its content type (case-insensitive, parameters ignored). */
export function protocolOf(contentType: string | null | undefined): RpcProtocol {
  const type = contentType?.toLowerCase() ?? "";
  if (type.startsWith("application/grpc-web")) return "grpc-web";
  if (type.startsWith("application/grpc")) return "grpc";
  return "connect";
}

/** True for gRPC and gRPC-Web, whose clients read errors from `grpc-*` headers. */
export function isGrpcFamily(contentType: string | null | undefined): boolean {
  return protocolOf(contentType) !== "connect";
}
