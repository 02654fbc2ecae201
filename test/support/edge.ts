// Clients of the edge (Envoy) as a user's app would use them: REST/JSON with fetch, gRPC with
// @grpc/grpc-js generic clients built from the generated descriptors, and gRPC-Web.
import * as grpc from "@grpc/grpc-js";
import {
  fromBinary,
  toBinary,
  type DescMethodUnary,
  type MessageInitShape,
  type MessageShape,
} from "@bufbuild/protobuf";
import { create } from "@bufbuild/protobuf";
import { stackVar } from "./stack.js";

/** A REST response: the HTTP status and the parsed JSON body (undefined when not JSON). */
export interface RestResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  text: string;
}

/** Calls the REST API through Envoy. */
export async function rest<T = Record<string, any>>(
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<RestResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(stackVar("ENVOY_URL") + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, body: body as T, text };
}

/** A gRPC error as grpc-js reports it. */
export type GrpcError = grpc.ServiceError;

/** Calls a unary RPC through Envoy over gRPC with a grpc-js generic client. */
export function grpcUnary<M extends DescMethodUnary>(
  method: M,
  request: MessageInitShape<M["input"]>,
  token?: string,
): Promise<MessageShape<M["output"]>> {
  const url = new URL(stackVar("ENVOY_URL"));
  const client = new grpc.Client(url.host, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  if (token) metadata.set("authorization", `Bearer ${token}`);
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      `/${method.parent.typeName}/${method.name}`,
      (message: MessageShape<M["input"]>) => Buffer.from(toBinary(method.input, message)),
      (bytes: Buffer) => fromBinary(method.output, bytes),
      create(method.input, request) as MessageShape<M["input"]>,
      metadata,
      { deadline: Date.now() + 30_000 },
      (error, response) => {
        client.close();
        if (error) reject(error);
        else resolve(response as MessageShape<M["output"]>);
      },
    );
  });
}
