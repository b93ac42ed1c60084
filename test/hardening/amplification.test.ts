import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/test-server.js";

const mib = 1024 * 1024;
/** `{"slot_time":[1,1,…]}` of about 1 MiB: half a million wrong-typed list elements. */
const wrongTypedLookup = `{"merchant_id":"m1","slot_time":[${Array.from({ length: mib / 2 - 20 }, () => "1").join(",")}]}`;

describe("the cost of a rejected request", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const healthLatencyMs = async (): Promise<number> => {
    const started = performance.now();
    const answer = await fetch(`${server.url}/v3/HealthCheck`, { headers: { authorization: server.authHeader } });
    expect(answer.status).toBe(200);
    return performance.now() - started;
  };

  it("without credentials is what the headers cost: 1 MiB bodies are refused undecoded, HealthCheck stays fast", async () => {
    const started = performance.now();
    const refusals = Array.from({ length: 10 }, () =>
      fetch(`${server.url}/booking.partner.v3.BookingService/BatchAvailabilityLookup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: wrongTypedLookup,
      }).then(async (answer) => {
        await answer.arrayBuffer();
        return answer.status;
      }),
    );
    const latencies: number[] = [];
    let pending = true;
    const all = Promise.all(refusals).finally(() => {
      pending = false;
    });
    while (pending) latencies.push(await healthLatencyMs());
    expect(await all).toEqual(Array(10).fill(401));
    // Decoding one such body costs about half a second of event loop: ten took ~5 s here before the
    // credentials were checked first. Loose bounds, so a busy machine passes and that server does not.
    expect(performance.now() - started).toBeLessThan(2_500);
    expect(Math.max(...latencies)).toBeLessThan(1_500);
  });

  it("with credentials stays bounded: a body full of wrong types gets at most a hundred violations", async () => {
    for (const [path, contentType] of [
      ["/v3/BatchAvailabilityLookup", "application/json"],
      ["/booking.partner.v3.BookingService/BatchAvailabilityLookup", "application/json"],
    ] as const) {
      const answer = await fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { authorization: server.authHeader, "content-type": contentType },
        body: wrongTypedLookup,
      });
      expect(answer.status).toBe(400);
      const text = await answer.text();
      expect(text.length).toBeLessThan(64 * 1024);
      expect(text).toContain("further violations are not listed");
    }
  });
});
