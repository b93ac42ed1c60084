import { readFileSync } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BookingService } from "../../gen/booking/partner/v3/booking_service_pb.js";
import { openApiDocumentUrl } from "../../src/server/openapi-route.js";
import { startTestServer, type TestServer } from "../support/test-server.js";

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { operationId: string; requestBody?: unknown; responses: object }>>;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

const text = readFileSync(openApiDocumentUrl, "utf8");
const document = JSON.parse(text) as OpenApiDocument;

describe("the OpenAPI document of the REST mapping", () => {
  it("is a valid OpenAPI 3.1 document whose references all resolve", async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(text));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it("lists every /v3 route and nothing else: POST per method, GET for HealthCheck, and itself", () => {
    const expected: Record<string, string[]> = { "/v3/openapi.json": ["get"] };
    for (const method of BookingService.methods) {
      expected[`/v3/${method.name}`] = method.name === "HealthCheck" ? ["get", "post"] : ["post"];
    }
    const listed = Object.fromEntries(
      Object.entries(document.paths).map(([path, operations]) => [path, Object.keys(operations).sort()]),
    );
    expect(listed).toEqual(expected);
    for (const method of BookingService.methods) {
      const post = document.paths[`/v3/${method.name}`]?.post;
      expect(post?.operationId).toBe(method.name);
      expect(JSON.stringify(post?.requestBody)).toContain(`#/components/schemas/${method.input.typeName}`);
      expect(JSON.stringify(post?.responses)).toContain(`#/components/schemas/${method.output.typeName}`);
    }
  });

  it("names fields as the REST mapping answers them: proto names, int64 as strings", () => {
    const slot = document.components.schemas["booking.partner.v3.Slot"];
    expect(Object.keys(slot?.properties ?? {})).toContain("start_sec");
    expect(slot?.properties?.start_sec).toMatchObject({ type: "string", format: "int64" });
  });
});

describe("GET /v3/openapi.json", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("serves the committed document to a caller with an aggregator credential", async () => {
    const res = await fetch(`${server.url}/v3/openapi.json`, { headers: { authorization: server.authHeader } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await res.text()).toBe(text);
  });

  it("refuses a caller without credentials (401) and other verbs (405)", async () => {
    const anonymous = await fetch(`${server.url}/v3/openapi.json`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { status: string } }).error.status).toBe("UNAUTHENTICATED");
    const post = await fetch(`${server.url}/v3/openapi.json`, {
      method: "POST",
      headers: { authorization: server.authHeader },
    });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    await post.arrayBuffer();
  });
});
