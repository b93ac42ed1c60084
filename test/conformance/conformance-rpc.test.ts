import { afterEach, describe, expect, it } from "vitest";
import { allChecks } from "../../src/conformance/check-list.js";
import type { FakeFaults } from "./fake-booking-core.js";
import { type FakeBookingServer, startFakeBookingServer } from "./fake-booking-server.js";
import { runHarness } from "./run-harness.js";
import { makeScratchDir, makeTestFeed } from "./test-feed.js";

const credentials = "google:s3cret";
const restOnly = ["unknown-method-404", "malformed-json-400", "camel-case-and-int64-numbers"];
const rpcChecks = allChecks.map((check) => check.name).filter((name) => !restOnly.includes(name));

describe("booking-server conformance over Connect and gRPC", () => {
  let server: FakeBookingServer | undefined;
  let scratch: Awaited<ReturnType<typeof makeScratchDir>> | undefined;

  afterEach(async () => {
    await server?.close();
    await scratch?.remove();
    server = undefined;
    scratch = undefined;
  });

  async function start(rpc: "http1" | "h2c", faults: FakeFaults = {}): Promise<string[]> {
    const { feed: json, inventory } = makeTestFeed(Math.floor(Date.now() / 1000));
    server = await startFakeBookingServer({ inventory, credentials, rpc, faults });
    scratch = await makeScratchDir();
    const feed = await scratch.write("availability.json", json);
    return ["--target", server.url, "--credentials", credentials, "--feed", feed];
  }

  it("passes every check with --protocol connect, REST-only checks still over plain HTTP", async () => {
    const run = await runHarness([...(await start("http1")), "--protocol", "connect"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(" over connect ");
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe(`${allChecks.length} passed, 0 failed`);
    expect(server?.core.activeBookings()).toEqual([]);
  });

  it("passes every RPC check with --protocol grpc over cleartext HTTP/2", async () => {
    const run = await runHarness([...(await start("h2c")), "--protocol", "grpc", "--only", rpcChecks.join(",")]);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe(`${rpcChecks.length} passed, 0 failed`);
    expect(server?.core.activeBookings()).toEqual([]);
  });

  it("expects UNAUTHENTICATED over gRPC and shows the status a server that ignores auth sent", async () => {
    const args = await start("h2c", { ignoresAuth: true });
    const run = await runHarness([...args, "--protocol", "grpc", "--only", "bad-credentials-401", "--json"]);
    expect(run.code).toBe(1);
    const [check] = JSON.parse(run.stdout).checks;
    expect(check.failure).toMatchObject({
      message: "CreateBooking with wrong credentials succeeded",
      expected: "HTTP 401 / UNAUTHENTICATED",
      exchange: { call: "grpc BookingService/CreateBooking", status: "OK" },
    });
    expect(server?.core.activeBookings()).toEqual([]);
  });
});
