import { createGrpcClient, type GrpcResult } from "../support/grpc-client.js";

/** What came back from one call, as a grpc-js application sees it. */
export type CallResult = GrpcResult;

/** Calls `method` once with a fresh grpc-js client, optionally with a deadline `deadlineMs` from now. */
export async function callGrpc(
  address: string,
  method: string,
  request: object,
  metadata: Record<string, string>,
  deadlineMs?: number,
): Promise<CallResult> {
  const client = createGrpcClient(address);
  try {
    return await client.call(method, request, metadata, deadlineMs);
  } finally {
    client.close();
  }
}
