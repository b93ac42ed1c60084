import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

/** What came back from one call, as a grpc-js application sees it. */
export interface CallResult {
  error?: grpc.ServiceError;
  response?: Record<string, unknown>;
  headers?: grpc.Metadata;
}

const definition = protoLoader.loadSync("booking/partner/v3/booking_service.proto", {
  includeDirs: ["proto"],
  keepCase: true,
  longs: String,
  enums: String,
  defaults: false,
});
const packageObject = grpc.loadPackageDefinition(definition) as unknown as {
  booking: { partner: { v3: { BookingService: grpc.ServiceClientConstructor } } };
};

/** Calls `method` once with a fresh grpc-js client, optionally with a deadline `deadlineMs` from now. */
export function callGrpc(
  address: string,
  method: string,
  request: object,
  metadata: Record<string, string>,
  deadlineMs?: number,
): Promise<CallResult> {
  const client = new packageObject.booking.partner.v3.BookingService(address, grpc.credentials.createInsecure());
  const md = new grpc.Metadata();
  for (const [key, value] of Object.entries(metadata)) md.set(key, value);
  const options: grpc.CallOptions = deadlineMs === undefined ? {} : { deadline: Date.now() + deadlineMs };
  const fn = (client as unknown as Record<string, (...args: unknown[]) => grpc.ClientUnaryCall>)[method];
  if (!fn) throw new Error(`no such method ${method}`);
  return new Promise((resolve) => {
    let headers: grpc.Metadata | undefined;
    const call = fn.call(client, request, md, options, (error: grpc.ServiceError | null, response: unknown) => {
      client.close();
      resolve(error ? { error, headers } : { response: response as Record<string, unknown>, headers });
    });
    call.on("metadata", (m: grpc.Metadata) => {
      headers = m;
    });
  });
}
