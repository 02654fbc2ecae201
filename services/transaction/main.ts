// Entry point of the Transaction service: configuration → migrations → dependencies → server and
// recovery worker. It listens only when this file is run directly (`node … main.ts`).
import type { AddressInfo } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  createAuthKeySetFetcher,
  createServiceTokenInterceptor,
  createServiceTransport,
} from "../runtime/clients.js";
import { createKeySetResolver } from "../runtime/auth.js";
import { createDatabasePool, runMigrations } from "../runtime/database.js";
import { createLogger, type Logger } from "../runtime/logger.js";
import { loadTransactionConfig } from "./config.js";
import { createSaga } from "./dependencies.js";
import { createRecoveryWorker } from "./recovery/recovery-worker.js";
import { createRedisClient } from "./redis/account-locks.js";
import { build } from "./server.js";

/** The folder of this service's migrations. */
export const migrationsDir = fileURLToPath(new URL("./migrations/", import.meta.url));

/** What start() may be given instead of its defaults. */
export interface StartOptions {
  /** The environment to read the configuration from; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Overrides PORT (0 picks a free port). */
  port?: number;
  logger?: Logger;
}

/** A running Transaction service. */
export interface RunningTransactionService {
  /** The base URL clients use, e.g. "http://127.0.0.1:18103". */
  readonly url: string;
  readonly port: number;
  /** Stops the recovery worker, drains in-flight calls and closes the pool and Redis. */
  close(): Promise<void>;
}

/** Starts the Transaction service (server and recovery worker) and resolves once it listens. */
export async function start(options: StartOptions = {}): Promise<RunningTransactionService> {
  const env = options.env ?? process.env;
  const config = loadTransactionConfig(env);
  const logger = options.logger ?? createLogger("transaction", env.LOG_LEVEL ?? process.env.LOG_LEVEL);
  await runMigrations(config.DATABASE_URL, migrationsDir, logger);
  const db = await createDatabasePool(config.DATABASE_URL, { maximumPoolSize: config.DATABASE_POOL_SIZE });
  const redis = config.REDIS_URL ? createRedisClient(config.REDIS_URL, logger) : undefined;
  const release = async () => {
    await db.end();
    redis?.disconnect();
  };
  const authTransport = createServiceTransport(config.AUTH_URL);
  const keys = createKeySetResolver(createAuthKeySetFetcher(authTransport));
  const accountTransport = createServiceTransport(config.ACCOUNT_URL, [
    createServiceTokenInterceptor(authTransport, {
      clientId: config.SERVICE_CLIENT_ID,
      clientSecret: config.SERVICE_CLIENT_SECRET,
    }),
  ]);
  const deps = {
    db,
    redis,
    accountTransport,
    logger,
    settlementCustomerId: config.SETTLEMENT_CUSTOMER_ID,
    accountCallTimeoutMs: config.ACCOUNT_CALL_TIMEOUT_MS,
  };
  const server = build({ ...deps, keys });
  let address: AddressInfo;
  try {
    address = await server.listen(options.port ?? config.PORT, config.HOST);
  } catch (error) {
    await release();
    throw error;
  }
  const worker = createRecoveryWorker({
    db,
    saga: createSaga(deps),
    logger,
    intervalMs: config.RECOVERY_INTERVAL_MS,
    minAgeSeconds: config.RECOVERY_MIN_AGE_SECONDS,
    batchSize: config.RECOVERY_BATCH_SIZE,
  });
  worker.start();

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${config.HOST}:${address.port}`,
    port: address.port,
    close() {
      stopping ??= (async () => {
        await worker.stop();
        await server.close();
        await release();
      })();
      return stopping;
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  start().then(
    (service) => {
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.once(signal, () => {
          service.close().then(
            () => process.exit(0),
            () => process.exit(1),
          );
        });
      }
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
