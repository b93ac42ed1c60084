import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAvailability, makeFeed } from "../booking/feed-builders.js";
import { type BookingServerFixture, startBookingServer } from "../support/booking-server.js";

const probe = "' OR '1'='1 <script>";

describe("error messages", () => {
  let fixture: BookingServerFixture;
  beforeAll(async () => {
    fixture = await startBookingServer({ feed: makeFeed([makeAvailability()]) });
  });
  afterAll(() => fixture.close());

  it("never repeat a booking id, a path or a content type the client sent", async () => {
    const unknownBooking = await fixture.rest("UpdateBooking", { booking: { booking_id: probe, status: "CANCELED" } });
    const status = await fixture.rest("GetBookingStatus", { booking_id: probe });
    const path = await fetch(`${fixture.server.url}/v3/${encodeURIComponent(probe)}`, {
      method: "POST",
      headers: { authorization: fixture.server.authHeader },
    });
    const connectPath = await fetch(
      `${fixture.server.url}/booking.partner.v3.BookingService/${encodeURIComponent(probe)}`,
      {
        method: "POST",
        headers: { authorization: fixture.server.authHeader, "content-type": "application/json" },
        body: "{}",
      },
    );
    const mediaType = await fetch(`${fixture.server.url}/v3/ListBookings`, {
      method: "POST",
      headers: { authorization: fixture.server.authHeader, "content-type": `text/${probe.replace(/\W/g, "x")}` },
      body: "{}",
    });
    const texts = [
      unknownBooking.text,
      status.text,
      await path.text(),
      await connectPath.text(),
      await mediaType.text(),
    ];
    expect(unknownBooking.json.error.message).toBe("no booking with this booking_id exists");
    for (const text of texts) {
      expect(text).not.toContain("OR '1'");
      expect(text).not.toContain(encodeURIComponent(probe));
      expect(text).not.toContain("xxORx");
    }
  });
});
