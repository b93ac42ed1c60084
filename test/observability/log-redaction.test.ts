import http2 from "node:http2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { type EngineServer, startEngineServer } from "../support/booking-server.js";
import { createGrpcClient } from "../support/grpc-client.js";
import { grpcFrame, rawGrpcCall } from "../support/grpc-wire.js";
import { basicAuth, testCredential } from "../support/test-server.js";

// Distinctive personal data and secrets: none of these strings may reach a log line.
const people = [
  { given_name: "Philippa", family_name: "Quarendon", telephone: "+44 20 7946 0958", email: "philippa.q@example.org" },
  { given_name: "Ximena", family_name: "Oyelaran", telephone: "(415) 555.0199", email: "ximena.oyelaran@example.net" },
];
const wrongPassword = "hunter2-Wr0ng";
const secrets = [
  ...people.flatMap((p) => Object.values(p)),
  testCredential.split(":")[1] ?? "",
  wrongPassword,
  basicAuth(testCredential),
  Buffer.from(testCredential).toString("base64"),
];

describe("logs never carry personal data or credentials", () => {
  let app: EngineServer;
  beforeAll(async () => {
    app = await startEngineServer();
  });
  afterAll(() => app.close());

  const rest = (method: string, body: string, authorization = app.server.authHeader) =>
    fetch(`${app.server.url}/v3/${method}`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body,
    });

  it("keeps names, e-mail, telephone and Authorization out of the raw log, for good and bad requests alike", async () => {
    const [start, other] = app.slotStarts;
    const booking = (person: (typeof people)[number], token: string, slotStart = start) => ({
      slot: { merchant_id: "m1", service_id: "s1", start_sec: String(slotStart), duration_sec: "1800" },
      user_information: { user_id: `user-${token}`, ...person },
      idempotency_token: token,
    });
    const [jane, ximena] = people as [(typeof people)[number], (typeof people)[number]];
    // Booked, replayed, refused as a reused token, invalid in every PII field, malformed, unauthenticated.
    expect((await rest("CreateBooking", JSON.stringify(booking(jane, "t1")))).status).toBe(200);
    expect((await rest("CreateBooking", JSON.stringify(booking(jane, "t1")))).status).toBe(200);
    expect((await rest("CreateBooking", JSON.stringify(booking(jane, "t1", other)))).status).toBe(400);
    const invalid = {
      ...booking(ximena, "t2"),
      user_information: {
        ...ximena,
        user_id: "u",
        given_name: `${ximena.given_name}${"x".repeat(40)}`,
        telephone: `${ximena.telephone} ext. ${ximena.family_name}`,
        email: ximena.given_name,
      },
    };
    expect((await rest("CreateBooking", JSON.stringify(invalid))).status).toBe(400);
    expect((await rest("CreateBooking", `{"user_information":{"given_name":"${ximena.given_name}"`)).status).toBe(400);
    expect((await rest("CreateBooking", JSON.stringify({ user_information: ximena.email }))).status).toBe(400);
    const wrong = basicAuth(`partner:${wrongPassword}`);
    expect((await rest("CreateBooking", JSON.stringify(booking(ximena, "t3")), wrong)).status).toBe(401);

    const connect = await fetch(`${app.server.url}/booking.partner.v3.BookingService/CreateBooking`, {
      method: "POST",
      headers: { authorization: app.server.authHeader, "content-type": "application/json" },
      body: JSON.stringify({ ...booking(ximena, "t4"), slot: { start_sec: ximena.telephone } }),
    });
    expect(connect.status).toBe(400);

    const grpc = createGrpcClient(`127.0.0.1:${app.server.port}`);
    const viaGrpc = await grpc.call("CreateBooking", booking(ximena, "t5"), { authorization: app.server.authHeader });
    expect(viaGrpc.error).toBeUndefined();
    const badGrpc = await grpc.call("CreateBooking", invalid, { authorization: wrong });
    expect(badGrpc.error?.code).toBe(16);
    grpc.close();
    const session = http2.connect(app.server.url);
    const garbage = new TextEncoder().encode(`\u0012\u0040${jane.email}${jane.telephone}`);
    const raw = await rawGrpcCall(session, "CreateBooking", grpcFrame(garbage), {
      authorization: app.server.authHeader,
    });
    session.close();
    expect(raw.grpcStatus).toBe(3);

    const log = app.server.rawLog();
    expect(app.server.logLines().filter((line) => line.msg === "call").length).toBeGreaterThanOrEqual(11);
    for (const secret of secrets) expect(log, secret).not.toContain(secret);
    expect(log).not.toMatch(/basic [a-z0-9+/=]{8,}/i);
  });

  it("redacts personal data and credentials that a log call passes, one and two levels deep", () => {
    const lines: string[] = [];
    const logger = createLogger({ destination: { write: (line: string) => void lines.push(line) } });
    const [jane] = people as [(typeof people)[number]];
    logger.info({ ...jane, authorization: basicAuth(testCredential) }, "top level");
    logger.info({ user: jane, headers: { authorization: basicAuth(testCredential) } }, "one level");
    logger.info({ booking: { user_information: jane, user: jane } }, "two levels");
    logger.info(
      { request: { userInformation: { givenName: jane.given_name, familyName: jane.family_name } } },
      "camel",
    );
    const text = lines.join("");
    for (const secret of secrets) expect(text, secret).not.toContain(secret);
    expect(text.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(12);
  });
});
