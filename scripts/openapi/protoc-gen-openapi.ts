// A protoc plugin, run by `buf generate` (buf.gen.yaml): writes the OpenAPI 3.1 document of the REST
// mapping of booking.partner.v3.BookingService, with the .proto comments as descriptions.
import { create, createFileRegistry, fromBinary, toBinary } from "@bufbuild/protobuf";
import {
  CodeGeneratorRequestSchema,
  CodeGeneratorResponse_Feature,
  CodeGeneratorResponseSchema,
  FileDescriptorSetSchema,
} from "@bufbuild/protobuf/wkt";
import { buildOpenApiDocument } from "./openapi-document.js";

const serviceName = "booking.partner.v3.BookingService";
const outputFile = "booking-server-v3.openapi.json";

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const request = fromBinary(CodeGeneratorRequestSchema, Buffer.concat(chunks));
const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: request.protoFile }));
const service = registry.getService(serviceName);
const response = create(CodeGeneratorResponseSchema, {
  supportedFeatures: BigInt(CodeGeneratorResponse_Feature.PROTO3_OPTIONAL),
  ...(service
    ? { file: [{ name: outputFile, content: `${JSON.stringify(buildOpenApiDocument(service), null, 2)}\n` }] }
    : { error: `${serviceName} is not among the generated files` }),
});
process.stdout.write(toBinary(CodeGeneratorResponseSchema, response));
