import http2 from "node:http2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/test-server.js";

/** Sends raw bytes as a gRPC call and returns the grpc-status from headers or trailers. */
async function grpcStatus(url: string, path: string, body: Uint8Array, headers: Record<string, string> = {}) {
  const session = http2.connect(url);
  try {
    const stream = session.request({
      ":method": "POST",
      ":path": path,
      "content-type": "application/grpc",
      te: "trailers",
      ...headers,
    });
    let status: string | undefined;
    stream.on("response", (h) => {
      status ??= h["grpc-status"] as string | undefined;
    });
    stream.on("trailers", (t) => {
      status ??= t["grpc-status"] as string | undefined;
    });
    stream.resume();
    stream.end(body);
    await new Promise((resolve) => stream.once("close", resolve));
    return status;
  } finally {
    session.close();
  }
}

const garbage = [Buffer.from([0, 0, 0, 0, 2, 0xff, 0xff]), Buffer.from([0, 0, 0, 0, 3, 0x0a, 0x01, 0xff])];

describe("health and reflection refuse bytes they cannot decode as the client's fault", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it.each([
    "/grpc.health.v1.Health/Check",
    "/grpc.health.v1.Health/Watch",
    "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
  ])("answers INVALID_ARGUMENT, never INTERNAL, on %s", async (path) => {
    for (const body of garbage) {
      expect(await grpcStatus(server.url, path, body, { authorization: server.authHeader })).toBe("3");
    }
  });
});
