import { describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/sqlite/open-database.js";
import type { SqliteBookingStore } from "../../src/store/sqlite/sqlite-booking-store.js";
import { hoursFromNow } from "../booking/feed-builders.js";
import { type BookingServerFixture, sqliteServerPerTest } from "../support/booking-server.js";
import { createGrpcClient } from "../support/grpc-client.js";
import { makeCreateBookingRequest, makeSlot } from "./request-builders.js";

const starts = [hoursFromNow(24), hoursFromNow(26), hoursFromNow(28)];

interface ListedJson {
  booking_id: string;
  status: string;
  slot: { start_sec: string; availability_tag?: string };
  user_information: { given_name: string };
}

describe("a running SQLite server's cached ListBookings", () => {
  const startServer = sqliteServerPerTest(starts);

  /** A server with three slots of two spots, where one user holds a booking in each. */
  const open = async () => {
    const fx = await startServer();
    const user = makeCreateBookingRequest().user_information as { user_id: string };
    for (const start of starts) {
      const created = await fx.rest(
        "CreateBooking",
        makeCreateBookingRequest({ user_information: user, slot: makeSlot({ start_sec: String(start) }) }),
      );
      expect(created.status).toBe(200);
      fx.clock.advance(1);
    }
    return { server: fx, userId: user.user_id };
  };

  const list = async (server: BookingServerFixture, userId: string) => {
    const answer = await server.rest("ListBookings", { user_id: userId });
    expect(answer.status).toBe(200);
    return answer.json.bookings as ListedJson[];
  };
  const hits = (server: BookingServerFixture) =>
    (server.storage.bookings as SqliteBookingStore).userListingCache.stats().hits;

  it("sees the next change that another connection to the file makes to a booking or its slot", async () => {
    const { server, userId } = await open();
    const before = await list(server, userId);
    expect(before).toHaveLength(3);
    const warm = hits(server);
    expect(await list(server, userId)).toEqual(before);
    expect(hits(server)).toBeGreaterThan(warm);

    const other = openDatabase(server.url);
    try {
      const [first, second] = before as [ListedJson, ListedJson];
      other.prepare("UPDATE booking SET status = 'NO_SHOW' WHERE booking_id = ?").run(first.booking_id);
      expect((await list(server, userId)).map((b) => b.status)).toEqual(["NO_SHOW", "CONFIRMED", "CONFIRMED"]);

      other.prepare("UPDATE slot SET availability_tag = 'window-seat' WHERE start_sec = ?").run(starts[1]);
      const tagged = await list(server, userId);
      expect(tagged.map((b) => b.slot.availability_tag)).toEqual([undefined, "window-seat", undefined]);

      other
        .prepare("UPDATE booking SET user_json = json_set(user_json, '$.givenName', 'Ada') WHERE booking_id = ?")
        .run(second.booking_id);
      expect((await list(server, userId)).map((b) => b.user_information.given_name)).toEqual(["Grace", "Ada", "Grace"]);

      other.prepare("UPDATE booking SET user_id = 'someone-else' WHERE booking_id = ?").run(first.booking_id);
      expect((await list(server, userId)).map((b) => b.booking_id)).toEqual(before.slice(1).map((b) => b.booking_id));
      expect((await list(server, "someone-else")).map((b) => b.booking_id)).toEqual([first.booking_id]);
    } finally {
      other.close();
    }
  });

  it("answers gRPC from the kept listing too, and the next change shows there as well", async () => {
    const { server, userId } = await open();
    const grpc = createGrpcClient(`127.0.0.1:${server.server.port}`);
    try {
      const statuses = async () => {
        const answer = await grpc.call(
          "ListBookings",
          { user_id: userId },
          { authorization: server.server.authHeader },
        );
        expect(answer.error).toBeUndefined();
        return ((answer.response?.bookings ?? []) as { status: string }[]).map((b) => b.status);
      };
      expect(await statuses()).toEqual(["CONFIRMED", "CONFIRMED", "CONFIRMED"]);
      const warm = hits(server);
      expect(await statuses()).toEqual(["CONFIRMED", "CONFIRMED", "CONFIRMED"]);
      expect(hits(server)).toBeGreaterThan(warm);
      const [first] = await list(server, userId);
      const other = openDatabase(server.url);
      try {
        other.prepare("UPDATE booking SET status = 'NO_SHOW' WHERE booking_id = ?").run(first?.booking_id);
      } finally {
        other.close();
      }
      expect(await statuses()).toEqual(["NO_SHOW", "CONFIRMED", "CONFIRMED"]);
    } finally {
      grpc.close();
    }
  });

  it("keeps serving a listing from memory while another user books and cancels in the same slot", async () => {
    const { server, userId } = await open();
    const before = await list(server, userId);
    const warm = hits(server);
    const created = await server.rest(
      "CreateBooking",
      makeCreateBookingRequest({ slot: makeSlot({ start_sec: String(starts[0]) }) }),
    );
    expect(created.json.booking.status).toBe("CONFIRMED");
    await server.rest("UpdateBooking", {
      booking: { booking_id: created.json.booking.booking_id, status: "CANCELED" },
    });
    expect(await list(server, userId)).toEqual(before);
    expect(hits(server)).toBe(warm + 1);
  });
});
