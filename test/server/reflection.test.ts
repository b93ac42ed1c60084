import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/test-server.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
// Reflection as gRPC publishes it (the .proto files @grpc/reflection ships), not our generated code.
const protoRoot = join(
  dirname(createRequire(import.meta.url).resolve("@grpc/reflection/package.json")),
  "build",
  "proto",
);

type Reflection = grpc.Client & {
  serverReflectionInfo(metadata?: grpc.Metadata): grpc.ClientDuplexStream<object, Answer>;
};
interface Answer {
  valid_host: string;
  message_response: string;
  list_services_response?: { service: { name: string }[] };
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
  error_response?: { error_code: number; error_message: string };
}

function reflectionClient(version: "v1" | "v1alpha", address: string): Reflection {
  const definition = protoLoader.loadSync(`grpc/reflection/${version}/reflection.proto`, {
    includeDirs: [protoRoot],
    keepCase: true,
    oneofs: true,
  });
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    grpc: { reflection: Record<string, { ServerReflection: grpc.ServiceClientConstructor }> };
  };
  const Client = loaded.grpc.reflection[version]?.ServerReflection as grpc.ServiceClientConstructor;
  return new Client(address, grpc.credentials.createInsecure()) as unknown as Reflection;
}

/** Sends the requests on one stream and collects the answers, or the error that ended it. */
async function ask(client: Reflection, metadata: grpc.Metadata, requests: object[]) {
  const stream = client.serverReflectionInfo(metadata);
  const answers: Answer[] = [];
  stream.on("data", (answer: Answer) => answers.push(answer));
  const done = new Promise<grpc.ServiceError | undefined>((resolve) => {
    stream.on("error", (error: grpc.ServiceError) => resolve(error));
    stream.on("end", () => resolve(undefined));
  });
  for (const request of requests) stream.write(request);
  stream.end();
  return { error: await done, answers };
}

const fileNames = (answer: Answer | undefined): string[] =>
  (answer?.file_descriptor_response?.file_descriptor_proto ?? []).map(
    (bytes) => fromBinary(FileDescriptorProtoSchema, bytes).name,
  );

const services = [
  "booking.partner.v3.BookingService",
  "grpc.health.v1.Health",
  "grpc.reflection.v1.ServerReflection",
  "grpc.reflection.v1alpha.ServerReflection",
];

describe("gRPC server reflection", () => {
  let server: TestServer;
  const auth = new grpc.Metadata();
  beforeAll(async () => {
    server = await startTestServer();
    auth.set("authorization", server.authHeader);
  });
  afterAll(() => server.close());

  it.each(["v1", "v1alpha"] as const)("%s lists every service and resolves files and symbols", async (version) => {
    const client = reflectionClient(version, `127.0.0.1:${server.port}`);
    try {
      const { error, answers } = await ask(client, auth, [
        { host: "h", list_services: "" },
        { file_containing_symbol: "booking.partner.v3.BookingService" },
        { file_containing_symbol: "booking.partner.v3.BookingService.CreateBooking" },
        { file_by_filename: "grpc/health/v1/health.proto" },
        { file_containing_symbol: "booking.partner.v3.Booking" },
        { file_containing_symbol: "no.such.Thing" },
      ]);
      expect(error).toBeUndefined();
      expect(answers[0]?.valid_host).toBe("h");
      expect(answers[0]?.list_services_response?.service.map((s) => s.name).sort()).toEqual(services);
      const serviceFiles = fileNames(answers[1]);
      expect(serviceFiles[0]).toBe("booking/partner/v3/booking_service.proto");
      expect(serviceFiles).toEqual(
        expect.arrayContaining(["booking/partner/v3/booking.proto", "booking/partner/v3/slot.proto"]),
      );
      // Dependencies already sent on this stream are not sent again; the file asked for always is.
      expect(fileNames(answers[2])).toEqual(["booking/partner/v3/booking_service.proto"]);
      expect(fileNames(answers[3])).toEqual(["grpc/health/v1/health.proto"]);
      expect(fileNames(answers[4])).toEqual(["booking/partner/v3/booking.proto"]);
      expect(answers[5]?.error_response).toEqual({
        error_code: grpc.status.NOT_FOUND,
        error_message: "symbol not found",
      });
    } finally {
      client.close();
    }
  });

  it("is for callers with an aggregator credential", async () => {
    const client = reflectionClient("v1", `127.0.0.1:${server.port}`);
    try {
      const { error } = await ask(client, new grpc.Metadata(), [{ list_services: "" }]);
      expect(error?.code).toBe(grpc.status.UNAUTHENTICATED);
    } finally {
      client.close();
    }
  });

  it("lets buf curl call the service with no schema of its own", async () => {
    const buf = join(repoRoot, "node_modules", ".bin", "buf");
    const run = promisify(execFile);
    const header = `authorization: ${server.authHeader}`;
    const common = ["curl", "--header", header, "--reflect-header", "*"];
    const listed = await run(buf, [...common, "--list-methods", server.url]);
    expect(listed.stdout).toContain("booking.partner.v3.BookingService/CreateBooking\n");
    const called = await run(buf, [
      ...common,
      "--protocol",
      "grpc",
      "--data",
      "{}",
      `${server.url}/booking.partner.v3.BookingService/HealthCheck`,
    ]);
    expect(called.stdout.trim()).toBe("{}");
  }, 30_000);
});
