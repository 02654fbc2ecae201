// The Auth service's entry point: configuration, migrations, stores, keys and the bootstrap admin,
// then the server. start() is what tests and benchmarks call; it listens on its own only when this
// file is run directly.
import { pathToFileURL, fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { ConfigError } from "../runtime/config.js";
import { createDatabasePool, runMigrations, type DatabasePool } from "../runtime/database.js";
import { createLogger, type Logger } from "../runtime/logger.js";
import { loadAuthConfig, type AuthConfig } from "./config.js";
import { createSigningKeySet, generateSigningKey, type SigningKeySet } from "./keys/signing-key-set.js";
import { createPasswordHasher } from "./passwords/password-hasher.js";
import {
  createLoggingResetTokenDelivery,
  type ResetTokenDelivery,
} from "./password-reset/reset-token-delivery.js";
import { ensureBootstrapAdmin } from "./roles/bootstrap-admin.js";
import { build } from "./server.js";

/** The service's own migrations. */
export const migrationsDir = fileURLToPath(new URL("./migrations/", import.meta.url));

/** What start() may be given instead of its defaults. */
export interface StartOptions {
  /** The environment to read the configuration from; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Overrides PORT (0 picks a free port). */
  port?: number;
  logger?: Logger;
  /** Where reset tokens go; by default they are only logged as issued. */
  resetTokenDelivery?: ResetTokenDelivery;
}

/** A running Auth service. */
export interface RunningAuthService {
  /** The base URL clients use, e.g. "http://127.0.0.1:18101". */
  readonly url: string;
  readonly port: number;
  readonly config: AuthConfig;
  readonly keys: SigningKeySet;
  /** Stops accepting calls, drains in-flight ones and closes the pool and Redis. */
  close(): Promise<void>;
}

/** Starts the Auth service and resolves once it listens. */
export async function start(options: StartOptions = {}): Promise<RunningAuthService> {
  const config = loadAuthConfig(options.env);
  const logger = options.logger ?? createLogger("auth", options.env?.LOG_LEVEL ?? process.env.LOG_LEVEL);

  let signingKeys = config.signingKeys;
  if (!signingKeys) {
    logger.warn(
      "no JWT_PRIVATE_KEYS or JWT_KEYS_FILE: signing with a key generated for this process only (development)",
    );
    signingKeys = [await generateSigningKey()];
  }
  let keys: SigningKeySet;
  try {
    keys = await createSigningKeySet([...signingKeys]);
  } catch (error) {
    throw new ConfigError("auth", [
      `${config.signingKeysSource ?? "JWT_PRIVATE_KEYS"}: ${(error as Error).message}`,
    ]);
  }

  await runMigrations(config.DATABASE_URL, migrationsDir, logger);
  const cleanup: Array<() => Promise<unknown>> = [];
  try {
    const db: DatabasePool = await createDatabasePool(config.DATABASE_URL);
    cleanup.push(() => db.end());
    // Bounded waits: the login throttle lets logins through when Redis is down, but only after its
    // command has failed, so a dead Redis must cost a login a fraction of a second, not many.
    const redis = new Redis(config.REDIS_URL, {
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      commandTimeout: 500,
    });
    // ioredis reports connection problems as events; the throttle logs failed commands itself.
    redis.on("error", (error) => logger.debug({ err: error }, "redis connection error"));
    cleanup.push(async () => redis.disconnect());

    const hasher = await createPasswordHasher({
      memoryKib: config.ARGON2_MEMORY_KIB,
      timeCost: config.ARGON2_TIME_COST,
      parallelism: config.ARGON2_PARALLELISM,
    });
    if (config.bootstrapAdmin) await ensureBootstrapAdmin(db, hasher, config.bootstrapAdmin, logger);

    const server = build({
      config,
      db,
      redis,
      logger,
      keys,
      hasher,
      resetTokenDelivery: options.resetTokenDelivery ?? createLoggingResetTokenDelivery(logger),
    });
    const address = await server.listen(options.port ?? config.PORT, config.HOST);
    cleanup.unshift(() => server.close());
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    return {
      url: `http://${host}:${address.port}`,
      port: address.port,
      config,
      keys,
      async close() {
        for (const step of cleanup.splice(0)) await step();
      },
    };
  } catch (error) {
    for (const step of cleanup.splice(0).reverse()) await step().catch(() => {});
    throw error;
  }
}

const runDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (runDirectly) {
  start().then(
    (service) => {
      const stop = () => {
        service.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    },
    (error: unknown) => {
      // A configuration problem is the operator's to fix: say what is wrong, without a stack.
      console.error(error instanceof ConfigError ? error.message : error);
      process.exit(1);
    },
  );
}
