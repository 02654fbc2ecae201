// gRPC server reflection (grpc.reflection.v1) so that grpcurl, Postman and other generic clients
// can discover a server's services without the .proto files.
import { create, toBinary, type DescFile, type DescService, type MessageInitShape } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import {
  ServerReflection,
  ServerReflectionResponseSchema,
  type ServerReflectionRequest,
} from "../../gen/ts/grpc/reflection/v1/reflection_pb.js";

/** Registers grpc.reflection.v1.ServerReflection describing the given services. */
export function registerReflection(router: ConnectRouter, services: DescService[]): void {
  const files = new Map<string, DescFile>();
  const addFile = (file: DescFile) => {
    if (files.has(file.name + ".proto")) return;
    files.set(file.name + ".proto", file);
    file.dependencies.forEach(addFile);
  };
  services.forEach((service) => addFile(service.file));

  const symbols = new Map<string, DescFile>();
  for (const file of files.values()) {
    for (const service of file.services) {
      symbols.set(service.typeName, file);
      for (const method of service.methods) symbols.set(`${service.typeName}.${method.name}`, file);
    }
    for (const message of file.messages) symbols.set(message.typeName, file);
    for (const enumeration of file.enums) symbols.set(enumeration.typeName, file);
  }

  /** A file and its transitive dependencies, the file first, as serialized descriptors. */
  const describe = (file: DescFile): Uint8Array[] => {
    const seen = new Set<string>();
    const out: Uint8Array[] = [];
    const visit = (f: DescFile) => {
      if (seen.has(f.name)) return;
      seen.add(f.name);
      out.push(toBinary(FileDescriptorProtoSchema, f.proto));
      f.dependencies.forEach(visit);
    };
    visit(file);
    return out;
  };

  const answer = (
    req: ServerReflectionRequest,
  ): MessageInitShape<typeof ServerReflectionResponseSchema>["messageResponse"] => {
    const notFound = (what: string) => ({
      case: "errorResponse" as const,
      value: { errorCode: 5, errorMessage: `${what} not found` },
    });
    switch (req.messageRequest.case) {
      case "listServices":
        return {
          case: "listServicesResponse",
          value: { service: [...services.map((s) => ({ name: s.typeName }))] },
        };
      case "fileByFilename": {
        const file = files.get(req.messageRequest.value);
        return file
          ? { case: "fileDescriptorResponse", value: { fileDescriptorProto: describe(file) } }
          : notFound(`file ${req.messageRequest.value}`);
      }
      case "fileContainingSymbol": {
        const file = symbols.get(req.messageRequest.value);
        return file
          ? { case: "fileDescriptorResponse", value: { fileDescriptorProto: describe(file) } }
          : notFound(`symbol ${req.messageRequest.value}`);
      }
      case "allExtensionNumbersOfType":
        return {
          case: "allExtensionNumbersResponse",
          value: { baseTypeName: req.messageRequest.value, extensionNumber: [] },
        };
      default:
        return { case: "errorResponse", value: { errorCode: 12, errorMessage: "request not supported" } };
    }
  };

  router.service(ServerReflection, {
    async *serverReflectionInfo(requests) {
      for await (const req of requests) {
        yield create(ServerReflectionResponseSchema, {
          validHost: req.host,
          originalRequest: req,
          messageResponse: answer(req),
        });
      }
    },
  });
}
