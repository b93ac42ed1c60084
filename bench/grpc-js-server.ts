// The ceiling of gRPC in Node: the no-op HealthCheck on a plain @grpc/grpc-js server, in its own process.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import * as grpc from "@grpc/grpc-js";
import {
  BookingService,
  HealthCheckRequestSchema,
  HealthCheckResponseSchema,
} from "../gen/booking/partner/v3/booking_service_pb.js";

const server = new grpc.Server();
const healthCheck = BookingService.method.healthCheck;
server.addService(
  {
    HealthCheck: {
      path: `/${BookingService.typeName}/${healthCheck.name}`,
      requestStream: false,
      responseStream: false,
      // The same codec as the booking server, so the comparison is about the transport alone.
      requestSerialize: (message: object) => Buffer.from(toBinary(HealthCheckRequestSchema, message as never)),
      requestDeserialize: (bytes: Buffer) => fromBinary(HealthCheckRequestSchema, bytes),
      responseSerialize: (message: object) => Buffer.from(toBinary(HealthCheckResponseSchema, message as never)),
      responseDeserialize: (bytes: Buffer) => fromBinary(HealthCheckResponseSchema, bytes),
    },
  },
  {
    HealthCheck: (_call: unknown, callback: grpc.sendUnaryData<object>) => {
      callback(null, create(HealthCheckResponseSchema));
    },
  },
);
server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  process.stdout.write(`grpc-js server listening on http://127.0.0.1:${port}\n`);
});
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => server.forceShutdown());
