// Envoy of the local stack: the edge in front of the services. Its upstream clusters (one per
// service, HTTP/2 cleartext) are health-checked with gRPC health checks; a gRPC call through the
// listener reaches a service, from two independent gRPC clients (Connect's and @grpc/grpc-js);
// internal services are not routed.
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import * as grpc from "@grpc/grpc-js";
import { readFileSync } from "node:fs";
import { fromBinary, toBinary, create } from "@bufbuild/protobuf";
import {
  Health,
  HealthCheckRequestSchema,
  HealthCheckResponseSchema,
  HealthCheckResponse_ServingStatus as ServingStatus,
  type HealthCheckResponse,
} from "../../gen/ts/grpc/health/v1/health_pb.js";
import { ServiceTokenService } from "../../gen/ts/fidalex/auth/v1/service_token_service_pb.js";
import { eventually } from "../support/eventually.js";
import { stackVar } from "../support/stack.js";

let envoyUrl: string;
let adminUrl: string;

beforeAll(async () => {
  envoyUrl = stackVar("ENVOY_URL");
  adminUrl = stackVar("ENVOY_ADMIN_URL");
});

test("Envoy's gRPC health checks mark the running services' clusters healthy", async () => {
  const healthy = await eventually("healthy upstream clusters", async () => {
    const text = await (await fetch(`${adminUrl}/clusters`)).text();
    const flags = (cluster: string) =>
      text.split("\n").find((line) => line.startsWith(`${cluster}::`) && line.includes("::health_flags::"));
    const lines = ["auth", "account", "transaction", "insights"].map(flags);
    return lines.every((line) => line?.endsWith("::healthy")) ? lines : undefined;
  });
  expect(healthy).toHaveLength(4);
});

test("a Connect gRPC client gets SERVING through Envoy", async () => {
  const health = createClient(Health, createGrpcTransport({ baseUrl: envoyUrl }));
  const res = await health.check({ service: "" }, { timeoutMs: 5_000 });
  expect(res.status).toBe(ServingStatus.SERVING);
  const unknown = await health.check({ service: "no.such.Service" }).catch((e: unknown) => e);
  expect(ConnectError.from(unknown).code).toBe(Code.NotFound);
});

test("a @grpc/grpc-js client gets SERVING through Envoy", async () => {
  const client = new grpc.Client(new URL(envoyUrl).host, grpc.credentials.createInsecure());
  try {
    const res = await new Promise<HealthCheckResponse>((resolve, reject) =>
      client.makeUnaryRequest(
        "/grpc.health.v1.Health/Check",
        (m: unknown) => Buffer.from(toBinary(HealthCheckRequestSchema, m as never)),
        (b: Buffer) => fromBinary(HealthCheckResponseSchema, b),
        create(HealthCheckRequestSchema, { service: "" }),
        new grpc.Metadata(),
        { deadline: Date.now() + 5_000 },
        (err, value) => (err ? reject(err) : resolve(value!)),
      ),
    );
    expect(res.status).toBe(ServingStatus.SERVING);
  } finally {
    client.close();
  }
});

test("internal services are not routed at the edge, with or without a token", async () => {
  const login = await fetch(`${envoyUrl}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      username: stackVar("BOOTSTRAP_ADMIN_USERNAME"),
      password: stackVar("BOOTSTRAP_ADMIN_PASSWORD"),
    }),
  });
  expect(login.status).toBe(200);
  const { tokens } = (await login.json()) as { tokens: { accessToken: string } };
  const tokensClient = createClient(ServiceTokenService, createGrpcTransport({ baseUrl: envoyUrl }));
  const call = (headers: Record<string, string>) =>
    tokensClient
      .issueServiceToken(
        { clientId: "transaction", clientSecret: "x".repeat(32) },
        { timeoutMs: 5_000, headers },
      )
      .then(
        () => undefined,
        (e: unknown) => ConnectError.from(e).code,
      );
  // Without a token the JWT filter refuses first; with one, the route table has no such service.
  expect(await call({})).toBe(Code.Unauthenticated);
  expect([Code.NotFound, Code.Unimplemented]).toContain(
    await call({ authorization: `Bearer ${tokens.accessToken}` }),
  );
});

test("Envoy's admin interface listens on loopback only (issue 14, finding 8; docs/security.md)", async () => {
  const rendered = readFileSync(`${stackVar("FIDALEX_STACK_DIR")}/envoy/envoy.yaml`, "utf8");
  const admin = /^admin:\n\s+address:\n\s+socket_address: \{ address: "([^"]+)"/m.exec(rendered);
  expect(admin?.[1]).toMatch(/^(127\.\d+\.\d+\.\d+|::1|localhost)$/);
  // The admin URL the stack uses is on that address.
  expect(new URL(adminUrl).hostname).toBe(admin?.[1]);
});
