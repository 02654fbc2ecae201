// gRPC server reflection (grpc.reflection.v1 and the v1alpha older clients still ask first) so that
// grpcurl, buf curl, Postman and other generic clients can discover services without the .proto
// files. At a service's own port it describes that service; through Envoy, which routes reflection
// to the Auth service with the edge-scope header, it describes every service of the edge.
import { create, toBinary, type DescFile, type DescService, type MessageInitShape } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import {
  ServerReflection,
  ServerReflectionResponseSchema,
  type ServerReflectionRequest,
} from "../../gen/ts/grpc/reflection/v1/reflection_pb.js";
import {
  ServerReflection as ServerReflectionV1Alpha,
  ServerReflectionResponseSchema as ServerReflectionResponseSchemaV1Alpha,
} from "../../gen/ts/grpc/reflection/v1alpha/reflection_pb.js";
import { edgeReflectionHeader, edgeServices } from "./edge-catalogue.js";

type Answer = MessageInitShape<typeof ServerReflectionResponseSchema>["messageResponse"];

/**
 * Registers grpc.reflection.v1.ServerReflection (and v1alpha) describing the given services, or
 * the edge's services when a call carries the edge-scope header.
 */
export function registerReflection(router: ConnectRouter, services: DescService[]): void {
  const own = createReflectionAnswerer(services);
  const edge = createReflectionAnswerer([...edgeServices]);
  const answer = (req: ServerReflectionRequest, header: Headers) =>
    (header.get(edgeReflectionHeader) === "edge" ? edge : own)(req);
  router.service(ServerReflection, {
    async *serverReflectionInfo(requests, context) {
      for await (const req of requests) {
        yield create(ServerReflectionResponseSchema, {
          validHost: req.host,
          originalRequest: req,
          messageResponse: answer(req, context.requestHeader),
        });
      }
    },
  });
  // v1alpha has the same messages under another package; grpcurl and buf curl fall back to it.
  router.service(ServerReflectionV1Alpha, {
    async *serverReflectionInfo(requests, context) {
      for await (const req of requests) {
        const asV1 = req as unknown as ServerReflectionRequest;
        yield create(ServerReflectionResponseSchemaV1Alpha, {
          validHost: req.host,
          originalRequest: req,
          messageResponse: answer(asV1, context.requestHeader) as never,
        });
      }
    },
  });
}

/** Answers reflection requests about the given services and the files they need. */
function createReflectionAnswerer(services: DescService[]): (req: ServerReflectionRequest) => Answer {
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
    const addMessage = (message: DescFile["messages"][number]) => {
      symbols.set(message.typeName, file);
      message.nestedMessages.forEach(addMessage);
      for (const enumeration of message.nestedEnums) symbols.set(enumeration.typeName, file);
    };
    file.messages.forEach(addMessage);
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

  return (req: ServerReflectionRequest): Answer => {
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
}
