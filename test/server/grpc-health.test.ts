import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EngineServer, startEngineServer } from "../support/booking-server.js";
import { startTestServer } from "../support/test-server.js";

// The health service as gRPC publishes it (shipped by grpc-health-check), not our generated code.
const protoRoot = join(dirname(createRequire(import.meta.url).resolve("grpc-health-check/package.json")), "proto");
const definition = protoLoader.loadSync("health/v1/health.proto", { includeDirs: [protoRoot], enums: String });
const { Health } = (
  grpc.loadPackageDefinition(definition) as unknown as {
    grpc: { health: { v1: { Health: grpc.ServiceClientConstructor } } };
  }
).grpc.health.v1;

type HealthClient = grpc.Client & {
  check(request: { service: string }, callback: (e: grpc.ServiceError | null, r?: { status: string }) => void): void;
  watch(request: { service: string }): grpc.ClientReadableStream<{ status: string }>;
};

function check(client: HealthClient, service: string): Promise<{ status?: string; code?: number }> {
  return new Promise((resolve) => {
    client.check({ service }, (error, response) =>
      resolve(error ? { code: error.code } : { status: response?.status }),
    );
  });
}

/** Collects what a Watch stream sends, and how it ends. */
function watch(client: HealthClient, service: string) {
  const statuses: string[] = [];
  const call = client.watch({ service });
  call.on("data", (r: { status: string }) => statuses.push(r.status));
  const ended = new Promise<{ code: number }>((resolve) => {
    call.on("status", (s: grpc.StatusObject) => resolve({ code: s.code }));
  });
  call.on("error", () => {});
  const until = async (predicate: (s: string[]) => boolean, ms = 5_000): Promise<string[]> => {
    const deadline = Date.now() + ms;
    while (!predicate(statuses) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return statuses;
  };
  return { statuses, ended, until, cancel: () => call.cancel() };
}

describe("grpc.health.v1.Health and the HTTP probes follow the database, without credentials", () => {
  let app: EngineServer;
  let client: HealthClient;
  beforeAll(async () => {
    // The app's readiness is its storage's health; the test closes the storage.
    app = await startEngineServer();
    client = new Health(`127.0.0.1:${app.server.port}`, grpc.credentials.createInsecure()) as unknown as HealthClient;
  });
  afterAll(async () => {
    client.close();
    await app.close();
  });

  it("answers SERVING overall and per service, NOT_FOUND for a service it does not have", async () => {
    expect(await check(client, "")).toEqual({ status: "SERVING" });
    expect(await check(client, "booking.partner.v3.BookingService")).toEqual({ status: "SERVING" });
    expect(await check(client, "grpc.health.v1.Health")).toEqual({ status: "SERVING" });
    expect(await check(client, "no.such.Service")).toEqual({ code: grpc.status.NOT_FOUND });
  });

  it("serves /healthz and /readyz without credentials, saying nothing but ok", async () => {
    for (const path of ["/healthz", "/readyz"]) {
      const res = await fetch(`${app.server.url}${path}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("ok\n");
      const head = await fetch(`${app.server.url}${path}`, { method: "HEAD" });
      expect(head.status).toBe(200);
      const post = await fetch(`${app.server.url}${path}`, { method: "POST" });
      expect(post.status).toBe(405);
      expect(post.headers.get("allow")).toBe("GET, HEAD");
      await post.arrayBuffer();
    }
  });

  it("turns NOT_SERVING and readyz 503 once the database is closed; Watch hears it; healthz stays 200", async () => {
    const watcher = watch(client, "");
    const unknown = watch(client, "no.such.Service");
    expect(await watcher.until((s) => s.length >= 1)).toEqual(["SERVING"]);
    expect(await unknown.until((s) => s.length >= 1)).toEqual(["SERVICE_UNKNOWN"]);

    await app.storage.close();
    const ready = await fetch(`${app.server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.text()).toBe("unavailable\n");
    expect((await fetch(`${app.server.url}/healthz`)).status).toBe(200);
    expect(await check(client, "")).toEqual({ status: "NOT_SERVING" });
    expect(await check(client, "booking.partner.v3.BookingService")).toEqual({ status: "NOT_SERVING" });
    expect(await watcher.until((s) => s.length >= 2)).toEqual(["SERVING", "NOT_SERVING"]);
    // Still open: an unknown service is reported once, and the call waits.
    expect(unknown.statuses).toEqual(["SERVICE_UNKNOWN"]);
    watcher.cancel();
    unknown.cancel();
    expect((await watcher.ended).code).toBe(grpc.status.CANCELLED);
  });
});

describe("a draining server", () => {
  it("ends every Watch with NOT_SERVING and OK, so the streams do not hold up the shutdown", async () => {
    const server = await startTestServer();
    const client = new Health(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure()) as unknown as HealthClient;
    try {
      const watcher = watch(client, "");
      const unknown = watch(client, "no.such.Service");
      await watcher.until((s) => s.length >= 1);
      await unknown.until((s) => s.length >= 1);
      const started = Date.now();
      await server.close();
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(await watcher.ended).toEqual({ code: grpc.status.OK });
      expect(watcher.statuses).toEqual(["SERVING", "NOT_SERVING"]);
      expect(await unknown.ended).toEqual({ code: grpc.status.OK });
    } finally {
      client.close();
    }
  });
});
