import http2 from "node:http2";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ListBookingsRequestSchema,
  ListBookingsResponseSchema,
} from "../../gen/booking/partner/v3/booking_service_pb.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

const listBookingsPath = "/booking.partner.v3.BookingService/ListBookings";

/** One gRPC-Web frame: flag byte, 4-byte length, payload. */
function frame(payload: Uint8Array, flag = 0): Buffer {
  const head = Buffer.alloc(5);
  head[0] = flag;
  head.writeUInt32BE(payload.byteLength, 1);
  return Buffer.concat([head, payload]);
}

/** Reads gRPC-Web frames: messages, and the trailers of the 0x80 frame. */
function readFrames(bytes: Buffer): { messages: Buffer[]; trailers: Record<string, string> } {
  const messages: Buffer[] = [];
  const trailers: Record<string, string> = {};
  for (let at = 0; at + 5 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at + 1);
    const payload = bytes.subarray(at + 5, at + 5 + length);
    if ((bytes[at] ?? 0) & 0x80) {
      for (const line of payload.toString("latin1").split("\r\n")) {
        const colon = line.indexOf(":");
        if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
    } else {
      messages.push(payload);
    }
    at += 5 + length;
  }
  return { messages, trailers };
}

/** Decodes a grpc-web-text body the way Google's client does: groups of four, padding anywhere. */
const fromText = (text: string): Buffer =>
  Buffer.concat((text.match(/[^=]*={0,2}/g) ?? []).filter((p) => p).map((p) => Buffer.from(p, "base64")));

describe("application/grpc-web-text (Google's grpc-web client default)", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      handlers: {
        listBookings: (request) =>
          create(ListBookingsResponseSchema, { bookings: [{ bookingId: `for-${request.userId}` }] }),
      },
    });
  });
  afterAll(() => server.close());

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}${listBookingsPath}`, {
      method: "POST",
      headers: {
        "content-type": "application/grpc-web-text",
        accept: "application/grpc-web-text",
        "x-grpc-web": "1",
        authorization: server.authHeader,
        ...headers,
      },
      body,
    });

  it("round-trips a call: base64 request in, base64 answer and trailers out", async () => {
    const request = frame(toBinary(ListBookingsRequestSchema, create(ListBookingsRequestSchema, { userId: "u1" })));
    const res = await post(request.toString("base64"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/grpc-web-text+proto");
    const text = await res.text();
    expect(text).toMatch(/^[A-Za-z0-9+/=]+$/);
    const { messages, trailers } = readFrames(fromText(text));
    expect(trailers["grpc-status"]).toBe("0");
    expect(messages).toHaveLength(1);
    const answer = fromBinary(ListBookingsResponseSchema, messages[0] as Buffer);
    expect(answer.bookings.map((b) => b.bookingId)).toEqual(["for-u1"]);
  });

  it("accepts a body sent as separately padded parts, split anywhere", async () => {
    const message = toBinary(ListBookingsRequestSchema, create(ListBookingsRequestSchema, { userId: "u2" }));
    const whole = frame(message);
    const body = whole.subarray(0, 5).toString("base64") + whole.subarray(5).toString("base64");
    const { messages, trailers } = readFrames(fromText(await (await post(body)).text()));
    expect(trailers["grpc-status"]).toBe("0");
    expect(fromBinary(ListBookingsResponseSchema, messages[0] as Buffer).bookings[0]?.bookingId).toBe("for-u2");
  });

  it("answers errors in the same encoding: no credentials, and a body that is not base64", async () => {
    const request = frame(toBinary(ListBookingsRequestSchema, create(ListBookingsRequestSchema, { userId: "u1" })));
    const unauthenticated = await post(request.toString("base64"), { authorization: "" });
    expect(unauthenticated.headers.get("content-type")).toBe("application/grpc-web-text+proto");
    expect(readFrames(fromText(await unauthenticated.text())).trailers["grpc-status"]).toBe("16");
    const garbage = await post("not base64 at all!");
    const { trailers } = readFrames(fromText(await garbage.text()));
    expect(trailers["grpc-status"]).toBe("3");
  });

  it("streams: each message of a server stream arrives encoded on its own, before the call ends", async () => {
    const session = http2.connect(server.url);
    try {
      const stream = session.request({
        ":method": "POST",
        ":path": "/grpc.health.v1.Health/Watch",
        "content-type": "application/grpc-web-text",
        "x-grpc-web": "1",
      });
      stream.end(frame(new Uint8Array()).toString("base64"));
      const first = await new Promise<string>((resolve) =>
        stream.once("data", (chunk: Buffer) => resolve(chunk.toString())),
      );
      const { messages } = readFrames(fromText(first));
      // HealthCheckResponse { status: SERVING (1) }
      expect(messages.map((m) => m.toString("hex"))).toEqual(["0801"]);
      stream.close();
    } finally {
      session.close();
    }
  });
});
