import http2 from "node:http2";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/test-server.js";

const unknownPaths = ["/booking.partner.v3.BookingService/Nope", "/no.such.v1.Service/Call"];

/** The response head of one raw HTTP/2 request, whether it ended the stream, and the body bytes after it. */
async function h2Exchange(url: string, headers: http2.OutgoingHttpHeaders, body: Uint8Array) {
  const session = http2.connect(url);
  try {
    const stream = session.request({ ":method": "POST", ...headers });
    const chunks: Buffer[] = [];
    let trailers: http2.IncomingHttpHeaders | undefined;
    const head = new Promise<{ headers: http2.IncomingHttpHeaders; endStream: boolean }>((resolve) => {
      stream.once("response", (responseHeaders, flags) => {
        resolve({ headers: responseHeaders, endStream: (flags & http2.constants.NGHTTP2_FLAG_END_STREAM) !== 0 });
      });
    });
    stream.on("trailers", (t) => {
      trailers = t;
    });
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.end(body);
    await new Promise((resolve) => stream.once("close", resolve));
    return { ...(await head), body: Buffer.concat(chunks), trailers };
  } finally {
    session.close();
  }
}

describe("a gRPC call to a method or service the server does not have", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it.each(unknownPaths)("gets UNIMPLEMENTED in grpc-js for %s, not a broken stream", async (path) => {
    const client = new grpc.Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
    try {
      const error = await new Promise<grpc.ServiceError | null>((resolve) => {
        client.makeUnaryRequest(
          path,
          (value: Buffer) => value,
          (value: Buffer) => value,
          Buffer.alloc(0),
          new grpc.Metadata(),
          (e) => resolve(e),
        );
      });
      expect(error?.code).toBe(grpc.status.UNIMPLEMENTED);
      expect(error?.details).toBe("no method of the service at this path");
    } finally {
      client.close();
    }
  });

  it("is one HEADERS frame with END_STREAM (trailers-only), even with the gRPC fast path installed", async () => {
    for (const path of unknownPaths) {
      const answer = await h2Exchange(
        server.url,
        { ":path": path, "content-type": "application/grpc", te: "trailers" },
        new Uint8Array(5),
      );
      expect(answer.endStream).toBe(true);
      expect(answer.headers[":status"]).toBe(200);
      expect(answer.headers["content-type"]).toBe("application/grpc");
      expect(answer.headers["grpc-status"]).toBe("12");
      expect(answer.body.length).toBe(0);
      expect(answer.trailers).toBeUndefined();
    }
  });

  it("is a trailers-only answer on gRPC-Web over HTTP/2 and HTTP/1.1 too", async () => {
    const viaH2 = await h2Exchange(
      server.url,
      { ":path": unknownPaths[1], "content-type": "application/grpc-web+proto" },
      new Uint8Array(5),
    );
    expect(viaH2.endStream).toBe(true);
    expect(viaH2.headers["grpc-status"]).toBe("12");
    const viaH1 = await fetch(`${server.url}${unknownPaths[0]}`, {
      method: "POST",
      headers: { "content-type": "application/grpc-web+proto", "x-grpc-web": "1" },
      body: new Uint8Array(5),
    });
    expect(viaH1.status).toBe(200);
    expect(viaH1.headers.get("content-type")).toBe("application/grpc-web+proto");
    expect(viaH1.headers.get("grpc-status")).toBe("12");
    expect((await viaH1.arrayBuffer()).byteLength).toBe(0);
  });

  it("logs the path it was called on", async () => {
    const line = server
      .logLines()
      .find((l) => l.rpc === "unknown" && l.path === "/no.such.v1.Service/Call" && l.protocol === "grpc");
    expect(line).toMatchObject({ outcome: "NOT_IMPLEMENTED", code: "unimplemented" });
  });

  it("stays a 404 with a JSON error on Connect and REST paths", async () => {
    const connect = await fetch(`${server.url}${unknownPaths[0]}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(connect.status).toBe(404);
    expect(((await connect.json()) as { error: { status: string } }).error.status).toBe("NOT_FOUND");
    const rest = await fetch(`${server.url}/v3/Nope`, { method: "POST", body: "{}" });
    expect(rest.status).toBe(404);
    await rest.arrayBuffer();
    expect(server.logLines().some((l) => l.rpc === "unknown" && l.path === "/v3/Nope")).toBe(true);
  });
});
