import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTempDbPath } from "../support/temp-dir.js";
import { type CliServer, demoAuthorization, startCliServer } from "./cli-server.js";
import { checkCase } from "./fuzz-run.js";
import { type FuzzTarget, startFuzzTarget, type TableState } from "./fuzz-target.js";
import { type Http1Outcome, sendHttp1 } from "./raw-http1.js";
import { type Http2Outcome, sendHttp2 } from "./raw-http2.js";
import { grpcStatusOf, judgeOutcome } from "./reply-oracle.js";

const healthCheckPath = "/booking.partner.v3.BookingService/HealthCheck";

/** The request that took the whole process down: connect-node builds `new URL(path, "http://" + host)`. */
const hostCrashRequest = Buffer.from(
  `POST ${healthCheckPath} HTTP/1.1\r\nHost: [[[\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`,
);

/** The answer must be a well-formed client error (HTTP 4xx or a non-OK grpc-status), and nothing thrown. */
function expectRefused(outcome: Http1Outcome | Http2Outcome, crashes: unknown[]): void {
  expect(crashes, "uncaught exceptions in the server").toEqual([]);
  expect(judgeOutcome(outcome)).toBeUndefined();
  expect(outcome.kind).toBe("response");
  if (outcome.kind !== "response") return;
  const grpcStatus = grpcStatusOf(outcome);
  if (grpcStatus !== undefined) {
    expect(Number(grpcStatus)).toBeGreaterThan(0);
    return;
  }
  expect(outcome.status).toBeGreaterThanOrEqual(400);
  expect(outcome.status).toBeLessThan(500);
}

describe("transport cases the fuzz suites found, one request each", () => {
  let target: FuzzTarget;
  let initial: TableState;
  let crashesBefore = 0;
  const newCrashes = (): unknown[] => target.crashes().slice(crashesBefore);
  const options = () => ({ timeoutMs: 4_000, signal: target.crashSignal() });
  beforeAll(async () => {
    target = await startFuzzTarget();
    initial = target.tableState();
  });
  beforeEach(() => {
    crashesBefore = target.crashes().length;
  });
  afterAll(async () => {
    await target?.close();
  });
  afterEach(async () => {
    expect(await target.healthProblem()).toBeUndefined();
  });

  it("refuses `Host: [[[` on an HTTP/1.1 Connect call with a 4xx instead of throwing", async () => {
    expectRefused(await sendHttp1(target.http1, hostCrashRequest, options()), newCrashes());
  });

  it("refuses an HTTP/1.0 Connect call without Host with a 4xx instead of throwing", async () => {
    const request = `POST ${healthCheckPath} HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`;
    expectRefused(await sendHttp1(target.http1, Buffer.from(request), options()), newCrashes());
  });

  for (const contentType of ["application/json", "application/grpc-web+proto"]) {
    it(`refuses \`:authority: [[[\` on an h2c call with content-type ${contentType} instead of throwing`, async () => {
      const body = contentType === "application/json" ? Buffer.from("{}") : Buffer.alloc(5);
      const headers = { ":method": "POST", ":path": healthCheckPath, ":authority": "[[[", "content-type": contentType };
      expectRefused(await sendHttp2(target.http2, headers, body, options()), newCrashes());
    });
  }

  it("answers a request target that is no valid URL path (`//`, `http://[[[/...`) with a 4xx, not a 500", async () => {
    for (const path of ["//", "http://[[[/v3/HealthCheck"]) {
      const request = `POST ${path} HTTP/1.1\r\nHost: ${target.authority}\r\nContent-Length: 2\r\n\r\n{}`;
      expectRefused(await sendHttp1(target.http1, Buffer.from(request), options()), newCrashes());
    }
    const headers = { ":method": "POST", ":path": "//", "content-type": "application/json" };
    expectRefused(await sendHttp2(target.http2, headers, Buffer.from("{}"), options()), newCrashes());
  });

  it("refuses a content type named like an object property (constructor, __proto__) with a 4xx", async () => {
    for (const contentType of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      const request =
        `POST ${healthCheckPath} HTTP/1.1\r\nHost: ${target.authority}\r\nContent-Type: ${contentType}\r\n` +
        "Content-Length: 2\r\n\r\n{}";
      expectRefused(await sendHttp1(target.http1, Buffer.from(request), options()), newCrashes());
      const headers = { ":method": "POST", ":path": healthCheckPath, "content-type": contentType };
      expectRefused(await sendHttp2(target.http2, headers, Buffer.from("{}"), options()), newCrashes());
    }
  });

  it("keeps a valid deadline longer than 2^31-1 ms (grpc-timeout 700H, connect-timeout-ms 2147483648) long", async () => {
    const cases = [
      { protocol: "grpc", wire: "http2", edit: ["grpc-timeout", "700H"] },
      { protocol: "grpc-web", wire: "http1", edit: ["grpc-timeout", "99999999S"] },
      { protocol: "connect-json", wire: "http1", edit: ["connect-timeout-ms", "2147483648"] },
    ] as const;
    for (const { protocol, wire, edit } of cases) {
      const [name, value] = edit;
      await checkCase(target, { protocol, seed: 0, edits: [{ kind: "header", name, values: [value] }] }, wire, initial);
    }
  });

  it("answers gRPC on an HTTP/1.0 request with a grpc-status or an HTTP error, not a bare 200", async () => {
    const edits = [{ kind: "version" as const, value: "HTTP/1.0" }];
    await checkCase(target, { protocol: "grpc", seed: 0, edits }, "http1", initial);
  });
});

describe("`Host: [[[` against the real CLI process", () => {
  let server: CliServer | undefined;
  const temp = createTempDbPath();
  afterAll(async () => {
    await server?.stop();
    temp.remove();
  });

  it("keeps serving HealthCheck after the request that used to kill the process", async () => {
    server = await startCliServer(temp.path);
    const port = server.port;
    await sendHttp1({ port }, hostCrashRequest, { timeoutMs: 4_000 });
    const health = await sendHttp1(
      { port },
      Buffer.from(
        `GET /v3/HealthCheck HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: ${demoAuthorization}\r\nConnection: close\r\n\r\n`,
      ),
      { timeoutMs: 4_000 },
    );
    const child = server.child;
    if (health.kind !== "response" && child.exitCode === null) {
      // A crash closes the socket a moment before the exit is reported.
      await new Promise((resolve) => {
        child.once("exit", resolve);
        setTimeout(resolve, 2_000);
      });
    }
    expect(child.exitCode, `the server process exited; its stderr:\n${server.stderr().slice(-1500)}`).toBeNull();
    expect(health).toMatchObject({ kind: "response", status: 200 });
  }, 45_000);
});
