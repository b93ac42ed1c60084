import { afterEach, describe, expect, it } from "vitest";
import { allChecks } from "../../src/conformance/check-list.js";
import type { FakeFaults } from "./fake-booking-core.js";
import { type FakeRun, startFakeRun } from "./fake-run.js";
import { runHarness } from "./run-harness.js";

const restOnly = ["unknown-method-404", "malformed-json-400", "camel-case-and-int64-numbers"];
const rpcChecks = allChecks.map((check) => check.name).filter((name) => !restOnly.includes(name));

describe("booking-server conformance over Connect and gRPC", () => {
  let fake: FakeRun | undefined;

  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  async function start(rpc: "http1" | "h2c", faults: FakeFaults = {}): Promise<string[]> {
    fake = await startFakeRun({ rpc, faults });
    return fake.args;
  }

  it("passes every check with --protocol connect, REST-only checks still over plain HTTP", async () => {
    const run = await runHarness([...(await start("http1")), "--protocol", "connect"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(" over connect ");
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe(`${allChecks.length} passed, 0 failed`);
    expect(fake?.server.core.activeBookings()).toEqual([]);
  });

  it("passes every RPC check with --protocol grpc over cleartext HTTP/2", async () => {
    const run = await runHarness([...(await start("h2c")), "--protocol", "grpc", "--only", rpcChecks.join(",")]);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe(`${rpcChecks.length} passed, 0 failed`);
    expect(fake?.server.core.activeBookings()).toEqual([]);
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
    expect(fake?.server.core.activeBookings()).toEqual([]);
  });
});
