import type { DescEnum, DescField, DescMessage, DescMethod, DescService } from "@bufbuild/protobuf";

type Commented = DescMessage | DescEnum | DescField | DescService | DescMethod;

/** The leading comment of an element in its .proto source, without comment markers; "" when none. */
export function commentOf(desc: Commented): string {
  const path = pathOf(desc).join(",");
  const file = desc.kind === "field" || desc.kind === "rpc" ? desc.parent.file : desc.file;
  const location = file.proto.sourceCodeInfo?.location.find((l) => l.path.join(",") === path);
  return (location?.leadingComments ?? "")
    .split("\n")
    .map((line) => line.replace(/^ /, "").trimEnd())
    .join("\n")
    .trim();
}

// Field numbers of FileDescriptorProto, DescriptorProto and ServiceDescriptorProto, as the
// source-code-info paths use them.
const fileMessages = 4;
const fileEnums = 5;
const fileServices = 6;
const messageFields = 2;
const messageNested = 3;
const messageEnums = 4;
const serviceMethods = 2;

function pathOf(desc: Commented): number[] {
  switch (desc.kind) {
    case "message":
      return desc.parent
        ? [...pathOf(desc.parent), messageNested, desc.parent.proto.nestedType.indexOf(desc.proto)]
        : [fileMessages, desc.file.proto.messageType.indexOf(desc.proto)];
    case "enum":
      return desc.parent
        ? [...pathOf(desc.parent), messageEnums, desc.parent.proto.enumType.indexOf(desc.proto)]
        : [fileEnums, desc.file.proto.enumType.indexOf(desc.proto)];
    case "field":
      return [...pathOf(desc.parent), messageFields, desc.parent.proto.field.indexOf(desc.proto)];
    case "service":
      return [fileServices, desc.file.proto.service.indexOf(desc.proto)];
    case "rpc":
      return [...pathOf(desc.parent), serviceMethods, desc.parent.proto.method.indexOf(desc.proto)];
  }
}
