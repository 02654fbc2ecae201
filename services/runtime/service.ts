// One way to run a service: read and check its configuration, apply its migrations, build its
// dependencies, serve, start its background workers, and on SIGTERM/SIGINT stop the workers,
// drain in-flight calls and close every pool, client and consumer in reverse order of creation.
// Each services/<name>/main.ts is a declaration handed to runService; tests start the same
// declaration on port 0 with their own keys and fakes (StartOptions).
import type { AddressInfo } from "node:net";
import { existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Interceptor, Transport } from "@connectrpc/connect";
import type { Redis } from "ioredis";
import type { JWTVerifyGetKey } from "jose";
import { createKeySetResolver } from "./auth.js";
import { createAuthKeySetFetcher, createServiceTokenInterceptor, createServiceTransport } from "./clients.js";
import { ConfigError } from "./config.js";
import { createDatabasePool, runMigrations, type DatabasePool } from "./database.js";
import type { HealthStatus } from "./health.js";
import { createLogger, type Logger } from "./logger.js";
import { createRedisClient, type RedisClientOptions } from "./redis.js";
import { createServiceServer, type ServiceServer, type ServiceServerOptions } from "./server.js";
import { createTokenRevocationCheck, type TokenRevocationCheck } from "./token-revocation.js";

/** The configuration every service has; the optional entries are read by the context's helpers. */
export interface ServiceConfig {
  readonly PORT: number;
  readonly HOST: string;
  /** The service's own PostgreSQL database (ctx.database, migrations). */
  readonly DATABASE_URL?: string;
  /** Connections of the database pool; 10 when absent. */
  readonly DATABASE_POOL_SIZE?: number;
  /** The Auth service: its key set verifies access tokens, it issues service tokens. */
  readonly AUTH_URL?: string;
  /**
   * Redis: besides what the service keeps there, the published token versions every call's token
   * is checked against (token-revocation.ts). Without it, revoked tokens live until they expire.
   */
  readonly REDIS_URL?: string;
  /** This service's client credentials for the internal RPCs of other services. */
  readonly SERVICE_CLIENT_ID?: string;
  readonly SERVICE_CLIENT_SECRET?: string;
}

/** A background task of a service (a scheduler, a consumer, a retry loop). */
export interface BackgroundWorker {
  /** Starts the work; called once the server listens. A rejection fails the start. */
  start?(): void | Promise<void>;
  /** Stops the work and waits for what is in progress. */
  stop(): Promise<void>;
}

/** What a service serves: the server options other than the ones runService supplies. */
export type ServedRoutes = Pick<
  ServiceServerOptions,
  "services" | "routes" | "publicProcedures" | "fallback" | "interceptors"
> & {
  /** Resolves signing keys; by default the Auth service's key set at AUTH_URL. */
  keys?: JWTVerifyGetKey;
};

/** What a service's declaration can use while it builds its dependencies. */
export interface ServiceContext<Config extends ServiceConfig, Deps> {
  readonly name: string;
  readonly config: Config;
  readonly logger: Logger;
  /** The dependency a test provided under this key, or the one `create` makes. */
  provide<K extends keyof Deps>(key: K, create: () => Deps[K]): Deps[K];
  /** The key resolver for access tokens: the Auth service's key set (or the test's keys). */
  keys(): JWTVerifyGetKey;
  /** The pool of the service's own database (DATABASE_URL), closed at shutdown. */
  database(): Promise<DatabasePool>;
  /** A Redis client (closed at shutdown) that fails fast while Redis is down. */
  redis(url: string, options?: RedisClientOptions): Redis;
  /** A gRPC transport to another service that sends this service's SERVICE token. */
  serviceTransport(baseUrl: string): Transport;
  /** A gRPC transport to another service that forwards no credentials of its own. */
  transport(baseUrl: string, interceptors?: Interceptor[]): Transport;
  /** Registers a cleanup step; steps run in reverse order of registration at shutdown. */
  onClose(step: () => Promise<unknown> | unknown): void;
}

/** A service: its name, configuration, migrations, dependencies, routes and workers. */
export interface ServiceDefinition<Config extends ServiceConfig, Deps> {
  /** The service's name in logs and the audit, e.g. "account": its folder's name. */
  name: string;
  /** Reads and checks the configuration; throws ConfigError naming every bad variable. */
  loadConfig(env: NodeJS.ProcessEnv): Config;
  /** The folder of the service's SQL migrations, applied to DATABASE_URL before anything else. */
  migrationsDir?: string;
  /** Creates the dependencies (pools, clients, stores) the routes and workers use. */
  dependencies(ctx: ServiceContext<Config, Deps>): Promise<Deps>;
  /** The routes the server serves over the dependencies. */
  routes(deps: Deps, ctx: ServiceContext<Config, Deps>): ServedRoutes;
  /**
   * Background workers, started after the server listens and stopped before it closes; `health` is
   * the server's status map, for a worker that reports a service's health (e.g. NOT_SERVING while
   * its data is stale).
   */
  workers?(deps: Deps, ctx: ServiceContext<Config, Deps>, health: HealthStatus): BackgroundWorker[];
}

/** How to start a service other than from process.env (tests, benchmarks). */
export interface StartOptions<Deps> {
  /** The environment to read the configuration from; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Overrides PORT (0 picks a free port). */
  port?: number;
  logger?: Logger;
  /** Verifies access tokens with these keys instead of the Auth service's key set. */
  keys?: JWTVerifyGetKey;
  /** Checks token revocation with this instead of the published versions in REDIS_URL. */
  revocation?: TokenRevocationCheck | null;
  /** Sends this token to other services instead of one from the Auth service. */
  serviceToken?: () => Promise<string>;
  /** Dependencies to use instead of the ones the service would create (fakes in tests). */
  overrides?: Partial<Deps>;
}

/** A running service. */
export interface RunningService<Config extends ServiceConfig, Deps> {
  readonly name: string;
  /** The base URL clients use, e.g. "http://127.0.0.1:18102". */
  readonly url: string;
  readonly port: number;
  readonly address: AddressInfo;
  readonly config: Config;
  readonly deps: Deps;
  readonly server: ServiceServer;
  /** Stops the workers, drains in-flight calls and closes everything; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Declares the service whose entry point is the module at `moduleUrl` (its import.meta.url):
 * services/<name>/main.ts. The name is the folder's, and the folder's migrations/ (when there is
 * one) is applied to DATABASE_URL at start.
 */
export function defineService<Config extends ServiceConfig, Deps>(
  moduleUrl: string,
  definition: Omit<ServiceDefinition<Config, Deps>, "name" | "migrationsDir">,
): ServiceDefinition<Config, Deps> {
  const folder = dirname(fileURLToPath(moduleUrl));
  const migrationsDir = join(folder, "migrations");
  return {
    name: basename(folder),
    migrationsDir: existsSync(migrationsDir) ? migrationsDir : undefined,
    ...definition,
  };
}

/**
 * The start() a service's entry point exports (tests and benchmarks call it); when the module is
 * the program node was started with, it also runs the service as the process (runMain).
 */
export function serviceEntry<Config extends ServiceConfig, Deps>(
  definition: ServiceDefinition<Config, Deps>,
  moduleUrl: string,
): (options?: StartOptions<Deps>) => Promise<RunningService<Config, Deps>> {
  if (isEntryPoint(moduleUrl)) runMain(definition);
  return (options) => runService(definition, options);
}

function required<T>(service: string, name: string, value: T | undefined): T {
  if (value === undefined) throw new ConfigError(service, [`${name}: required by this service`]);
  return value;
}

/** Starts a service and resolves once it listens and its workers run. */
export async function runService<Config extends ServiceConfig, Deps>(
  definition: ServiceDefinition<Config, Deps>,
  options: StartOptions<Deps> = {},
): Promise<RunningService<Config, Deps>> {
  const env = options.env ?? process.env;
  const config = definition.loadConfig(env);
  const { name } = definition;
  const logger = options.logger ?? createLogger(name, env.LOG_LEVEL ?? process.env.LOG_LEVEL);
  const cleanup: Array<() => Promise<unknown> | unknown> = [];
  const closeAll = async () => {
    for (const step of cleanup.splice(0).reverse()) {
      await Promise.resolve()
        .then(step)
        .catch((err: unknown) => logger.warn({ err }, `${name}: a cleanup step failed`));
    }
  };

  let keys: JWTVerifyGetKey | undefined = options.keys;
  let serviceToken: Interceptor | undefined;
  const authTransport = () => createServiceTransport(required(name, "AUTH_URL", config.AUTH_URL));
  const ctx: ServiceContext<Config, Deps> = {
    name,
    config,
    logger,
    provide: (key, create) => (options.overrides?.[key] as Deps[typeof key] | undefined) ?? create(),
    keys() {
      keys ??= createKeySetResolver(createAuthKeySetFetcher(authTransport()));
      return keys;
    },
    async database() {
      const pool = await createDatabasePool(required(name, "DATABASE_URL", config.DATABASE_URL), {
        maximumPoolSize: config.DATABASE_POOL_SIZE,
      });
      cleanup.push(() => pool.end());
      return pool;
    },
    redis(url, redisOptions) {
      const redis = createRedisClient(url, logger, redisOptions);
      cleanup.push(() => redis.disconnect());
      return redis;
    },
    serviceTransport(baseUrl) {
      serviceToken ??= options.serviceToken
        ? bearerInterceptor(options.serviceToken)
        : createServiceTokenInterceptor(authTransport(), {
            clientId: required(name, "SERVICE_CLIENT_ID", config.SERVICE_CLIENT_ID),
            clientSecret: required(name, "SERVICE_CLIENT_SECRET", config.SERVICE_CLIENT_SECRET),
          });
      return createServiceTransport(baseUrl, [serviceToken]);
    },
    transport: (baseUrl, interceptors) => createServiceTransport(baseUrl, interceptors),
    onClose: (step) => void cleanup.push(step),
  };

  try {
    if (definition.migrationsDir) {
      await runMigrations(
        required(name, "DATABASE_URL", config.DATABASE_URL),
        definition.migrationsDir,
        logger,
      );
    }
    const deps = await definition.dependencies(ctx);
    const routes = definition.routes(deps, ctx);
    const revocation =
      options.revocation === undefined
        ? config.REDIS_URL
          ? createTokenRevocationCheck({ redis: ctx.redis(config.REDIS_URL), logger })
          : undefined
        : (options.revocation ?? undefined);
    if (!revocation)
      logger.warn(`${name}: no REDIS_URL, revoked access tokens are accepted until they expire`);
    const server = createServiceServer({
      name,
      logger,
      ...routes,
      keys: routes.keys ?? ctx.keys(),
      revocation,
    });
    const address = await server.listen(options.port ?? config.PORT, config.HOST);
    cleanup.push(() => server.close());
    for (const worker of definition.workers?.(deps, ctx, server.health) ?? []) {
      await worker.start?.();
      cleanup.push(() => worker.stop());
    }
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    let closing: Promise<void> | undefined;
    return {
      name,
      url: `http://${host}:${address.port}`,
      port: address.port,
      address,
      config,
      deps,
      server,
      close: () => (closing ??= closeAll()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function bearerInterceptor(token: () => Promise<string>): Interceptor {
  return (next) => async (req) => {
    req.header.set("authorization", `Bearer ${await token()}`);
    return next(req);
  };
}

/** Whether the module with this import.meta.url is the program node was started with. */
export function isEntryPoint(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(process.argv[1]).href;
}

/**
 * Runs a service as the process: starts it from the environment and stops it gracefully on
 * SIGTERM or SIGINT (a second signal exits at once). A configuration error prints the bad
 * variables, without a stack, and exits 1; so does any other failure to start.
 */
export function runMain<Config extends ServiceConfig, Deps>(
  definition: ServiceDefinition<Config, Deps>,
): void {
  runProcess(definition.name, (logger) => runService(definition, { logger }));
}

/**
 * Runs something that starts and closes (a service, or a helper process of the stack such as the
 * sandbox payment processor) as the process: stops it gracefully on SIGTERM or SIGINT (a second
 * signal exits at once). A configuration error prints the bad variables, without a stack, and
 * exits 1; so does any other failure to start.
 */
export function runProcess(
  name: string,
  start: (logger: Logger) => Promise<{ close(): Promise<void> }>,
): void {
  const logger = createLogger(name);
  start(logger).then(
    (running) => {
      let stopping = false;
      const shutdown = (signal: NodeJS.Signals) => {
        if (stopping) {
          logger.warn({ signal }, `${name}: second signal, exiting now`);
          process.exit(1);
        }
        stopping = true;
        logger.info({ signal }, `${name} shutting down`);
        running.close().then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error({ err }, `${name}: shutdown failed`);
            process.exit(1);
          },
        );
      };
      process.on("SIGTERM", shutdown);
      process.on("SIGINT", shutdown);
    },
    (error: unknown) => {
      if (error instanceof ConfigError) console.error(error.message);
      else logger.fatal({ err: error }, `${name} failed to start`);
      process.exit(1);
    },
  );
}
