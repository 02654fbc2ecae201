// Entry point of the Insights service: configuration, migrations, the warehouse pool, the CDC
// loader (unless LOADER_ENABLED=false) and the server. Listens only when run directly.
import { fileURLToPath, pathToFileURL } from "node:url";
import type { AddressInfo } from "node:net";
import type { JWTVerifyGetKey } from "jose";
import { createKeySetResolver } from "../runtime/auth.js";
import { createAuthKeySetFetcher, createServiceTransport } from "../runtime/clients.js";
import { createDatabasePool, runMigrations } from "../runtime/database.js";
import { createLogger, type Logger } from "../runtime/logger.js";
import { loadInsightsConfig } from "./config.js";
import { startInsightsLoader, type InsightsLoader } from "./loader/insights-loader.js";
import { build } from "./server.js";

/** The service's migrations folder. */
export const migrationsDir = fileURLToPath(new URL("./migrations/", import.meta.url));

/** A running Insights service. */
export interface RunningInsights {
  address: AddressInfo;
  loader?: InsightsLoader;
  /** Stops serving (draining calls), stops the loader and closes the pool. */
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Token keys; by default the Auth service's key set at AUTH_URL. */
  keys?: JWTVerifyGetKey;
}

export async function start(options: StartOptions = {}): Promise<RunningInsights> {
  const config = loadInsightsConfig(options.env);
  const logger = options.logger ?? createLogger("insights");
  await runMigrations(config.DATABASE_URL, migrationsDir, logger);
  const db = await createDatabasePool(config.DATABASE_URL);
  const keys =
    options.keys ?? createKeySetResolver(createAuthKeySetFetcher(createServiceTransport(config.AUTH_URL)));
  let loader: InsightsLoader | undefined;
  try {
    loader = config.LOADER_ENABLED
      ? await startInsightsLoader({
          db,
          logger,
          brokers: config.KAFKA_BROKERS,
          refreshIntervalSeconds: config.REFRESH_INTERVAL_SECONDS,
          refreshDebounceMs: config.REFRESH_DEBOUNCE_MS,
          missingAccountAttempts: config.MISSING_ACCOUNT_ATTEMPTS,
        })
      : undefined;
    const server = build({ db, logger, keys });
    const address = await server.listen(config.PORT, config.HOST);
    return {
      address,
      loader,
      async stop() {
        await server.close();
        await loader?.stop();
        await db.end();
      },
    };
  } catch (error) {
    await loader?.stop().catch(() => {});
    await db.end();
    throw error;
  }
}

function runDirectly(): void {
  const logger = createLogger("insights");
  start({ logger }).then(
    (running) => {
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, "insights shutting down");
        running.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error({ err }, "insights shutdown failed");
            process.exit(1);
          },
        );
      };
      process.once("SIGTERM", () => shutdown("SIGTERM"));
      process.once("SIGINT", () => shutdown("SIGINT"));
    },
    (err: unknown) => {
      logger.fatal({ err }, "insights failed to start");
      process.exit(1);
    },
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) runDirectly();
