import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { type BookingHttpServer, createServer } from "../../src/server/create-server.js";
import { BookingServiceClient } from "../support/grpc-client.js";
import { basicAuth, testCredential, testTls } from "../support/test-server.js";

describe("the gRPC fast path over TLS (h2 chosen by ALPN)", () => {
  let server: BookingHttpServer;
  let port: number;
  beforeAll(async () => {
    server = createServer({
      logger: createLogger({ destination: { write: () => true } as never }),
      credentials: [testCredential],
      handlers: { getBookingStatus: (req) => ({ bookingId: req.bookingId }) },
      transport: { tls: testTls() },
    });
    ({ port } = await server.listen(0, "127.0.0.1"));
  });
  afterAll(() => server.close(1_000));

  it("answers a grpc-js client that verifies the certificate", async () => {
    const client = new BookingServiceClient(`127.0.0.1:${port}`, grpc.credentials.createSsl(testTls().cert), {
      "grpc.ssl_target_name_override": "localhost",
    });
    const metadata = new grpc.Metadata();
    metadata.set("authorization", basicAuth(testCredential));
    const response = await new Promise<unknown>((resolve, reject) => {
      const call = client as unknown as Record<string, (...args: unknown[]) => void>;
      call.GetBookingStatus?.call(client, { booking_id: "b-tls" }, metadata, (error: Error | null, value: unknown) =>
        error ? reject(error) : resolve(value),
      );
    });
    client.close();
    expect(response).toEqual({ booking_id: "b-tls" });
  });
});
