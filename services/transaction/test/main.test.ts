// The entry point: start() validates its configuration, applies the migrations, listens, serves
// health checks and stops cleanly; a bad configuration names the variables at fault.
import { createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { HealthCheckResponse_ServingStatus, Health } from "../../../gen/ts/grpc/health/v1/health_pb.js";
import { ConfigError } from "../../runtime/config.js";
import { createLogger } from "../../runtime/logger.js";
import { stackVar } from "../../../test/support/stack.js";
import { start } from "../main.js";

const logger = createLogger("transaction-test", process.env.LOG_LEVEL ?? "silent");

function env(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    DATABASE_URL: stackVar("TRANSACTION_DATABASE_URL"),
    REDIS_URL: stackVar("REDIS_URL"),
    // Nothing is called at start: the key set and service tokens are fetched on first use.
    AUTH_URL: "http://127.0.0.1:1",
    ACCOUNT_URL: "http://127.0.0.1:1",
    SERVICE_CLIENT_ID: "transaction",
    SERVICE_CLIENT_SECRET: "transaction-dev-secret",
    RECOVERY_INTERVAL_MS: "60000",
    ...overrides,
  };
}

it("starts, reports SERVING, and stops", async () => {
  const service = await start({ env: env(), port: 0, logger });
  try {
    const health = createClient(Health, createGrpcTransport({ baseUrl: service.url }));
    const { status } = await health.check({ service: "fidalex.transaction.v1.TransactionService" });
    expect(status).toBe(HealthCheckResponse_ServingStatus.SERVING);
  } finally {
    await service.close();
  }
});

it("refuses to start with a missing or malformed variable, naming it", async () => {
  const attempt = start({
    env: env({ DATABASE_URL: undefined, SETTLEMENT_CUSTOMER_ID: "first" }),
    port: 0,
    logger,
  });
  await expect(attempt).rejects.toBeInstanceOf(ConfigError);
  await expect(attempt).rejects.toThrow(
    /DATABASE_URL[\s\S]*SETTLEMENT_CUSTOMER_ID|SETTLEMENT_CUSTOMER_ID[\s\S]*DATABASE_URL/,
  );
});
