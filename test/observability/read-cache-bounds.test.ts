import { afterAll, describe, expect, it, vi } from "vitest";
import { serveCommand } from "../../src/cli/serve-command.js";
import { killAllChildServers, spawnChildServer, stopChildServer } from "../rpc/child-server.js";
import { sample } from "../support/prometheus-sample.js";
import { createTempDbPath } from "../support/temp-dir.js";

describe("serve --read-cache-slots / --read-cache-bookings", () => {
  const temp = createTempDbPath();
  afterAll(async () => {
    await killAllChildServers();
    temp.remove();
  });

  it("bounds the read caches, and 0 keeps nothing: every read goes to the database", async () => {
    const server = await spawnChildServer(temp.path, [
      "--demo",
      "--metrics-public",
      "--read-cache-slots",
      "1234",
      "--read-cache-bookings",
      "0",
    ]);
    try {
      const rest = (method: string, body: object) =>
        fetch(`${server.url}/v3/${method}`, {
          method: "POST",
          headers: { authorization: server.authHeader, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      for (let i = 0; i < 3; i++) expect((await rest("ListBookings", { user_id: "someone" })).status).toBe(200);
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const of = (name: string, cache: string) => sample(text, `booking_server_read_cache_${name}`, { cache });
      expect(of("max_weight", "availability")).toBe(1234);
      expect(of("max_weight", "user_listing")).toBe(0);
      expect(of("entries", "user_listing")).toBe(0);
      expect(of("hits_total", "user_listing")).toBe(0);
      expect(of("misses_total", "user_listing")).toBe(3);
    } finally {
      await stopChildServer(server);
    }
  }, 60_000);

  it("refuses a negative or non-numeric bound with one line naming the flag", async () => {
    for (const [flag, value] of [
      ["--read-cache-slots", "-1"],
      ["--read-cache-bookings", "lots"],
    ] as const) {
      const written: string[] = [];
      const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      });
      try {
        expect(
          await serveCommand([`${flag}=${value}`, "--demo", "--db", temp.path, "--port", "0", "--log-level", "silent"]),
        ).toBe(2);
      } finally {
        spy.mockRestore();
      }
      expect(written.join("")).toBe(`booking-server serve: ${flag}: expected a number of at least 0\n`);
    }
  });
});
