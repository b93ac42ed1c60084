import http2 from "node:http2";
import net from "node:net";
import { create, fromJson, type JsonValue, toBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateBookingRequestSchema } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { makeAvailability, makeFeed } from "../booking/feed-builders.js";
import { makeCreateBookingRequest } from "../rpc/request-builders.js";
import { type BookingServerFixture, startBookingServer } from "../support/booking-server.js";
import { sendBodyThenReset } from "./raw-h2-frames.js";

describe("a request body cut off by a reset or a dropped connection", () => {
  let fixture: BookingServerFixture;
  const bookings = async (): Promise<number> => Number(await fixture.sql.value("SELECT COUNT(*) FROM booking"));

  beforeAll(async () => {
    fixture = await startBookingServer({
      feed: makeFeed([makeAvailability({ spots_total: 50, spots_open: 50 })]),
    });
  });
  afterAll(() => fixture.close());
  const connectHeaders = (contentType: string): Record<string, string> => ({
    ":path": "/booking.partner.v3.BookingService/CreateBooking",
    "content-type": contentType,
    authorization: fixture.server.authHeader,
  });

  it("never reaches the handler on Connect binary over HTTP/2, and the full retry books once", async () => {
    // Fields are written in number order: the cut body is a whole request up to and including its
    // token, without the additional_request (field 6) that follows.
    const head = fromJson(CreateBookingRequestSchema, makeCreateBookingRequest() as JsonValue);
    const cut = Buffer.from(toBinary(CreateBookingRequestSchema, head));
    const full = create(CreateBookingRequestSchema, { ...head, additionalRequest: "a window seat" });
    await sendBodyThenReset(fixture.server.port, connectHeaders("application/proto"), cut);
    expect(await bookings()).toBe(0);
    const retry = await fetch(`${fixture.server.url}/booking.partner.v3.BookingService/CreateBooking`, {
      method: "POST",
      headers: { "content-type": "application/proto", authorization: fixture.server.authHeader },
      body: Buffer.from(toBinary(CreateBookingRequestSchema, full)),
    });
    expect(retry.status).toBe(200);
    expect(await bookings()).toBe(1);
  });

  it("sent as a whole but reset in the same breath (node's close(CANCEL)) is not booked either", async () => {
    const before = await bookings();
    const head = fromJson(CreateBookingRequestSchema, makeCreateBookingRequest() as JsonValue);
    const session = http2.connect(fixture.server.url);
    session.on("error", () => {});
    const stream = session.request({ ":method": "POST", ...connectHeaders("application/proto") });
    stream.on("error", () => {});
    stream.write(Buffer.from(toBinary(CreateBookingRequestSchema, head)));
    stream.close(http2.constants.NGHTTP2_CANCEL);
    await new Promise((resolve) => stream.once("close", resolve));
    await new Promise((resolve) => setTimeout(resolve, 200));
    session.close();
    expect(await bookings()).toBe(before);
  });

  it("never reaches the handler on REST and Connect JSON over HTTP/2", async () => {
    const before = await bookings();
    for (const path of ["/v3/CreateBooking", "/booking.partner.v3.BookingService/CreateBooking"]) {
      // The part that arrived is a whole JSON object; the rest of the body never came.
      const body = Buffer.from(`${JSON.stringify(makeCreateBookingRequest())}   `);
      await sendBodyThenReset(fixture.server.port, { ...connectHeaders("application/json"), ":path": path }, body);
    }
    expect(await bookings()).toBe(before);
  });

  it("on HTTP/1.1 is neither booked nor logged or counted as a server error", async () => {
    const before = await bookings();
    const body = JSON.stringify(makeCreateBookingRequest());
    const { port } = new URL(fixture.server.url);
    for (const path of ["/v3/CreateBooking", "/booking.partner.v3.BookingService/CreateBooking"]) {
      await new Promise<void>((resolve) => {
        const socket = net.connect(Number(port), "127.0.0.1", () => {
          socket.write(
            `POST ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${fixture.server.authHeader}\r\n` +
              `Content-Type: application/json\r\nContent-Length: ${body.length + 100}\r\n\r\n${body}`,
          );
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 50);
        });
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await bookings()).toBe(before);
    const errors = fixture.server.logLines().filter((line) => line.level === 50 || line.code === "internal");
    expect(errors.map((line) => JSON.stringify(line))).toEqual([]);
  });
});
