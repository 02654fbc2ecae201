// Entry point of the Account service: configuration → migrations → database, Auth clients →
// server and the customer-link retry worker. It listens only when run directly
// (`tsx services/account/main.ts`); tests import build() or start() instead.
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { createKeySetResolver } from "../runtime/auth.js";
import {
  createAuthKeySetFetcher,
  createServiceTokenInterceptor,
  createServiceTransport,
} from "../runtime/clients.js";
import { createDatabasePool, runMigrations } from "../runtime/database.js";
import { createLogger } from "../runtime/logger.js";
import { loadAccountConfig } from "./config.js";
import { createAuthCustomerLinks, createCustomerLinkWorker } from "./customer/customer-link.js";
import { build, migrationsDir } from "./server.js";

/** A running Account service. */
export interface RunningAccountService {
  readonly address: AddressInfo;
  /** Stops the worker, drains in-flight calls, closes the server and the pool. */
  stop(): Promise<void>;
}

/** Starts the Account service from the environment. */
export async function start(env: NodeJS.ProcessEnv = process.env): Promise<RunningAccountService> {
  const config = loadAccountConfig(env);
  const logger = createLogger("account", env.LOG_LEVEL ?? "info");
  await runMigrations(config.DATABASE_URL, migrationsDir, logger);
  const db = await createDatabasePool(config.DATABASE_URL, { maximumPoolSize: config.DATABASE_POOL_SIZE });

  const authTransport = createServiceTransport(config.AUTH_URL);
  const keys = createKeySetResolver(createAuthKeySetFetcher(authTransport));
  const serviceToken = createServiceTokenInterceptor(authTransport, {
    clientId: config.SERVICE_CLIENT_ID,
    clientSecret: config.SERVICE_CLIENT_SECRET,
  });
  const customerLinks = createAuthCustomerLinks(createServiceTransport(config.AUTH_URL, [serviceToken]));

  const server = build({ db, keys, logger, customerLinks });
  const address = await server.listen(config.PORT, config.HOST);
  const linkWorker = createCustomerLinkWorker(
    { db, customerLinks, logger },
    { intervalMs: config.CUSTOMER_LINK_RETRY_MS, schedule: true },
  );

  return {
    address,
    async stop() {
      await linkWorker.stop();
      await server.close();
      await db.end();
    },
  };
}

function runDirectly(): void {
  start().then(
    (service) => {
      const shutdown = (signal: string) => {
        createLogger("account").info({ signal }, "account shutting down");
        service.stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once("SIGTERM", () => shutdown("SIGTERM"));
      process.once("SIGINT", () => shutdown("SIGINT"));
    },
    (error: unknown) => {
      // A configuration error names the bad variables; anything else is a failed start.
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runDirectly();
