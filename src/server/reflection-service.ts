import { create, createRegistry, type DescFile, type DescService, type Registry, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, type ServiceImpl } from "@connectrpc/connect";
import {
  ServerReflectionResponseSchema as ResponseV1,
  ServerReflection as ServerReflectionV1,
} from "../../gen/grpc/reflection/v1/reflection_pb.js";
import {
  ServerReflectionResponseSchema as ResponseV1alpha,
  ServerReflection as ServerReflectionV1alpha,
} from "../../gen/grpc/reflection/v1alpha/reflection_pb.js";

/** The reflection services, to register and to list among the served services. */
export const reflectionServices = [ServerReflectionV1, ServerReflectionV1alpha] as const;

/** A reflection request as both protocol versions spell it. */
interface ReflectionRequest {
  host: string;
  messageRequest:
    | { case: "fileByFilename" | "fileContainingSymbol" | "allExtensionNumbersOfType" | "listServices"; value: string }
    | { case: "fileContainingExtension"; value: { containingType: string; extensionNumber: number } }
    | { case: undefined; value?: undefined };
}

/** The answer to one request, as both protocol versions spell it. */
type ReflectionAnswer =
  | { case: "fileDescriptorResponse"; value: { fileDescriptorProto: Uint8Array[] } }
  | { case: "allExtensionNumbersResponse"; value: { baseTypeName: string; extensionNumber: number[] } }
  | { case: "listServicesResponse"; value: { service: { name: string }[] } }
  | { case: "errorResponse"; value: { errorCode: number; errorMessage: string } };

/**
 * gRPC server reflection, `grpc.reflection.v1` and `v1alpha`, for the given services: lists them and
 * answers with the file descriptors they are built from (the descriptors embedded in gen/), each
 * file's dependencies included once per stream.
 */
export function createReflectionServices(services: readonly DescService[]): {
  v1: ServiceImpl<typeof ServerReflectionV1>;
  v1alpha: ServiceImpl<typeof ServerReflectionV1alpha>;
} {
  const index = createReflectionIndex(services);
  return {
    v1: {
      async *serverReflectionInfo(requests) {
        const sent = new Set<string>();
        for await (const request of requests) {
          const messageResponse = answer(request, index, sent);
          yield create(ResponseV1, { validHost: request.host, originalRequest: request, messageResponse });
        }
      },
    },
    v1alpha: {
      async *serverReflectionInfo(requests) {
        const sent = new Set<string>();
        for await (const request of requests) {
          const messageResponse = answer(request, index, sent);
          yield create(ResponseV1alpha, { validHost: request.host, originalRequest: request, messageResponse });
        }
      },
    },
  };
}

interface ReflectionIndex {
  serviceNames: string[];
  files: Map<string, DescFile>;
  registry: Registry;
}

function createReflectionIndex(services: readonly DescService[]): ReflectionIndex {
  const files = new Map<string, DescFile>();
  const add = (file: DescFile): void => {
    if (files.has(file.proto.name)) return;
    files.set(file.proto.name, file);
    for (const dependency of file.dependencies) add(dependency);
  };
  for (const service of services) add(service.file);
  return {
    serviceNames: services.map((service) => service.typeName),
    files,
    registry: createRegistry(...files.values()),
  };
}

function answer(request: ReflectionRequest, index: ReflectionIndex, sent: Set<string>): ReflectionAnswer {
  const { messageRequest } = request;
  switch (messageRequest.case) {
    case "listServices":
      return { case: "listServicesResponse", value: { service: index.serviceNames.map((name) => ({ name })) } };
    case "fileByFilename":
      return withDependencies(index.files.get(messageRequest.value), sent, "file not found");
    case "fileContainingSymbol":
      return withDependencies(fileOfSymbol(index.registry, messageRequest.value), sent, "symbol not found");
    case "fileContainingExtension": {
      const { containingType, extensionNumber } = messageRequest.value;
      const message = index.registry.getMessage(containingType);
      const extension = message ? index.registry.getExtensionFor(message, extensionNumber) : undefined;
      return withDependencies(extension?.file, sent, "extension not found");
    }
    case "allExtensionNumbersOfType": {
      const typeName = messageRequest.value;
      if (!index.registry.getMessage(typeName)) return notFound("type not found");
      const numbers: number[] = [];
      for (const desc of index.registry) {
        if (desc.kind === "extension" && desc.extendee.typeName === typeName) numbers.push(desc.number);
      }
      return { case: "allExtensionNumbersResponse", value: { baseTypeName: typeName, extensionNumber: numbers } };
    }
    case undefined:
      return {
        case: "errorResponse",
        value: { errorCode: Code.InvalidArgument, errorMessage: "the request names no reflection query" },
      };
  }
}

/** The file that defines a fully-qualified name: a type, a service, a method, a field or an enum value. */
function fileOfSymbol(registry: Registry, symbol: string): DescFile | undefined {
  const direct = registry.get(symbol);
  if (direct) return direct.file;
  const dot = symbol.lastIndexOf(".");
  const parent = dot > 0 ? registry.get(symbol.slice(0, dot)) : undefined;
  const member = symbol.slice(dot + 1);
  switch (parent?.kind) {
    case "service":
      return parent.methods.some((method) => method.name === member) ? parent.file : undefined;
    case "message":
      return parent.fields.some((field) => field.name === member) ||
        parent.oneofs.some((oneof) => oneof.name === member) ||
        parent.nestedEnums.some((e) => e.values.some((value) => value.name === member))
        ? parent.file
        : undefined;
  }
  // An enum value is scoped like its enum: `package.VALUE` for a top-level enum.
  const scope = dot > 0 ? symbol.slice(0, dot) : "";
  for (const desc of registry) {
    if (desc.kind === "enum" && !desc.parent && desc.file.proto.package === scope) {
      if (desc.values.some((value) => value.name === member)) return desc.file;
    }
  }
  return undefined;
}

/** The file and every dependency not yet sent on this stream (the file itself always). */
function withDependencies(file: DescFile | undefined, sent: Set<string>, missing: string): ReflectionAnswer {
  if (!file) return notFound(missing);
  const bytes: Uint8Array[] = [];
  const add = (f: DescFile, always: boolean): void => {
    if (sent.has(f.proto.name) && !always) return;
    sent.add(f.proto.name);
    bytes.push(toBinary(FileDescriptorProtoSchema, f.proto));
    for (const dependency of f.dependencies) add(dependency, false);
  };
  add(file, true);
  return { case: "fileDescriptorResponse", value: { fileDescriptorProto: bytes } };
}

function notFound(message: string): ReflectionAnswer {
  return { case: "errorResponse", value: { errorCode: Code.NotFound, errorMessage: message } };
}
