// The entry point: configuration is checked at start, and start() brings up a serving server
// (migrations, pool, health) that close() takes down again.
import { Code, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { Health, HealthCheckResponse_ServingStatus } from "../../../gen/ts/grpc/health/v1/health_pb.js";
import { CustomerService } from "../../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { ConfigError } from "../../runtime/config.js";
import { stackVar } from "../../../test/support/stack.js";
import { loadAccountConfig } from "../config.js";
import { start } from "../main.js";
import { expectRefusal } from "./harness.js";

const validEnv = () => ({
  PORT: "0",
  DATABASE_URL: stackVar("ACCOUNT_DATABASE_URL"),
  // Nothing listens here: the Auth service is not needed to start, only to verify tokens.
  AUTH_URL: "http://127.0.0.1:9",
  SERVICE_CLIENT_ID: "account",
  SERVICE_CLIENT_SECRET: "account-dev-secret-0123456789",
  LOG_LEVEL: "silent",
});

it("refuses to start with missing or malformed variables, naming each", () => {
  let error: unknown;
  try {
    loadAccountConfig({ PORT: "99999", DATABASE_URL: "not a url", SERVICE_CLIENT_SECRET: "short" });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as ConfigError).message;
  for (const name of ["PORT", "DATABASE_URL", "AUTH_URL", "SERVICE_CLIENT_ID", "SERVICE_CLIENT_SECRET"]) {
    expect(message).toContain(name);
  }
  expect(message).not.toContain("not a url");
  expect(() => loadAccountConfig({ ...validEnv(), AUTH_URL: "mysql://auth" })).toThrow(/AUTH_URL/);
});

it("starts serving from the environment and stops cleanly", async () => {
  const service = await start({ env: validEnv() });
  try {
    const transport = createGrpcTransport({ baseUrl: `http://127.0.0.1:${service.address.port}` });
    const health = await createClient(Health, transport).check({
      service: "fidalex.account.v1.PostingService",
    });
    expect(health.status).toBe(HealthCheckResponse_ServingStatus.SERVING);
    await expectRefusal(
      createClient(CustomerService, transport).getCustomer({ customerId: 1n }),
      Code.Unauthenticated,
    );
  } finally {
    await service.close();
  }
});
