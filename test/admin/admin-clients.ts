import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { postJsonTo, type RestAnswer } from "../support/booking-server.js";
import { basicAuth } from "../support/test-server.js";

/** The admin credential line the admin suites start servers with. */
export const adminCredential = "staff:adm1n-Pa55";
/** Its Authorization header. */
export const adminAuth = basicAuth(adminCredential);

/** Calls an AdminService method with Connect JSON over HTTP/1.1, as curl or a script would. */
export function adminCall(
  url: string,
  method: string,
  body: object,
  authorization: string = adminAuth,
): Promise<RestAnswer> {
  return postJsonTo(`${url}/booking.admin.v1.AdminService/${method}`, authorization, body);
}

/** The ErrorInfo reason of a Connect JSON error body. */
export function connectReason(answer: RestAnswer): string | undefined {
  const details = (answer.json?.details ?? []) as { type: string; debug?: { reason?: string } }[];
  return details.find((d) => d.type === "google.rpc.ErrorInfo")?.debug?.reason;
}

const definition = protoLoader.loadSync("booking/admin/v1/admin_service.proto", {
  includeDirs: ["proto"],
  keepCase: true,
  longs: String,
  enums: String,
  defaults: false,
});
const AdminClient = (
  grpc.loadPackageDefinition(definition) as unknown as {
    booking: { admin: { v1: { AdminService: grpc.ServiceClientConstructor } } };
  }
).booking.admin.v1.AdminService;

/** Calls an AdminService method over gRPC with grpc-js, a client independent of the server's code. */
export async function adminGrpcCall(
  port: number,
  method: string,
  request: object,
  authorization: string = adminAuth,
): Promise<{ error?: grpc.ServiceError; response?: Record<string, unknown> }> {
  const client = new AdminClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  metadata.set("authorization", authorization);
  try {
    return await new Promise((resolve) => {
      const fn = (client as unknown as Record<string, (...args: unknown[]) => unknown>)[method];
      if (!fn) throw new Error(`no such method ${method}`);
      fn.call(client, request, metadata, (error: grpc.ServiceError | null, response: Record<string, unknown>) =>
        resolve(error ? { error } : { response }),
      );
    });
  } finally {
    client.close();
  }
}
