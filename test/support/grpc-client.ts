import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";

/** A grpc-js client of BookingService built from our .proto files, independent of the server's code. */
export interface GrpcBookingClient {
  /** Calls `method` once; `deadlineMs` sets a gRPC deadline that far from now. */
  call(method: string, request: object, metadata?: Record<string, string>, deadlineMs?: number): Promise<GrpcResult>;
  close(): void;
}

/** What came back from one gRPC call. */
export interface GrpcResult {
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

/** The grpc-js client class of BookingService, for tests that need their own channel options (TLS, say). */
export const BookingServiceClient: grpc.ServiceClientConstructor = packageObject.booking.partner.v3.BookingService;

/** Connects to `host:port` over h2c (no TLS), as gRPC clients in a private network do. */
export function createGrpcClient(address: string): GrpcBookingClient {
  const client = new BookingServiceClient(address, grpc.credentials.createInsecure());
  return {
    call(method, request, metadata = {}, deadlineMs) {
      const md = new grpc.Metadata();
      for (const [key, value] of Object.entries(metadata)) md.set(key, value);
      return new Promise((resolve) => {
        let headers: grpc.Metadata | undefined;
        const fn = (
          client as unknown as Record<
            string,
            grpc.requestCallback<unknown> & ((...args: unknown[]) => grpc.ClientUnaryCall)
          >
        )[method];
        if (!fn) throw new Error(`no such method ${method}`);
        const options: grpc.CallOptions = deadlineMs === undefined ? {} : { deadline: Date.now() + deadlineMs };
        const call = fn.call(client, request, md, options, (error: grpc.ServiceError | null, response: unknown) => {
          resolve(error ? { error, headers } : { response: response as Record<string, unknown>, headers });
        });
        call.on("metadata", (m: grpc.Metadata) => {
          headers = m;
        });
      });
    },
    close: () => client.close(),
  };
}
