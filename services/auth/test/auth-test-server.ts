// Starts the real Auth service in-process on port 0 against the stack's auth database and Redis,
// through the same start() the entry point uses, with keys, credentials and a reset-token channel
// the tests control.
import { randomBytes } from "node:crypto";
import type { Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { JWK } from "jose";
import pg from "pg";
import { Redis } from "ioredis";
import { stackVar } from "../../../test/support/stack.js";
import { createLogger } from "../../runtime/logger.js";
import { generateSigningKey } from "../keys/signing-key-set.js";
import { start } from "../main.js";
import type { ResetTokenNotice } from "../password-reset/reset-token-delivery.js";
import {
  authClients,
  fromAddress,
  testEdgeSecret,
  randomAddress,
  uniqueSuffix,
  type AuthClients,
} from "./auth-client-kit.js";

/** A running Auth service, as start() returns it. */
export type RunningAuthService = Awaited<ReturnType<typeof start>>;

/** Credentials of a user. */
export interface Credentials {
  username: string;
  email: string;
  password: string;
}

/** A running Auth service and what the tests need around it. */
export interface AuthTestServer {
  readonly service: RunningAuthService;
  readonly url: string;
  /** A gRPC transport to the server. */
  readonly transport: Transport;
  /** A gRPC transport whose calls come from the address (x-forwarded-for). */
  transportFrom(address: string): Transport;
  /** The keys the server was given, current first (private JWKs). */
  readonly signingKeys: JWK[];
  /** The bootstrap administrator of this run. */
  readonly admin: Credentials;
  /** Client id → secret, as SERVICE_CLIENT_SECRETS gives them. */
  readonly serviceClients: Readonly<Record<string, string>>;
  /** Every reset token the server delivered, in order. */
  readonly resetNotices: ResetTokenNotice[];
  /** The auth database, for asserting rows. */
  readonly db: pg.Pool;
  /** The stack's Redis, for asserting counters. */
  readonly redis: Redis;
  close(): Promise<void>;
}

/** What a test may change. */
export interface AuthTestServerOptions {
  /** Signing keys, current first; one fresh key by default. */
  signingKeys?: JWK[];
  /** The bootstrap administrator; a fresh one by default. */
  admin?: Credentials;
  /** The database URL; the stack's auth database by default. */
  databaseUrl?: string;
  /** More environment variables. */
  env?: Record<string, string>;
}

/** A fresh bootstrap administrator for one run. */
export function newAdminCredentials(): Credentials {
  const suffix = uniqueSuffix();
  return {
    username: `root_${suffix}`,
    email: `root.${suffix}@example.test`,
    password: `Adm1n!${randomBytes(9).toString("base64url")}`,
  };
}

/** Starts the Auth service for a test file. */
export async function startAuthTestServer(options: AuthTestServerOptions = {}): Promise<AuthTestServer> {
  const signingKeys = options.signingKeys ?? [await generateSigningKey()];
  const admin = options.admin ?? newAdminCredentials();
  const serviceClients = {
    transaction: randomBytes(24).toString("base64url"),
    account: randomBytes(24).toString("base64url"),
  };
  const databaseUrl = options.databaseUrl ?? stackVar("AUTH_DATABASE_URL");
  const resetNotices: ResetTokenNotice[] = [];
  const service = await start({
    port: 0,
    env: {
      DATABASE_URL: databaseUrl,
      REDIS_URL: stackVar("REDIS_URL"),
      JWT_PRIVATE_KEYS: JSON.stringify(signingKeys),
      SERVICE_CLIENT_SECRETS: Object.entries(serviceClients)
        .map(([id, secret]) => `${id}=${secret}`)
        .join(","),
      BOOTSTRAP_ADMIN_USERNAME: admin.username,
      BOOTSTRAP_ADMIN_EMAIL: admin.email,
      BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      EDGE_SECRET: testEdgeSecret,
      // Test files register many users from one address; the limits' own tests lower these.
      REGISTRATIONS_PER_ADDRESS_PER_HOUR: "100000",
      PASSWORD_RESETS_PER_ADDRESS_PER_HOUR: "100000",
      ...options.env,
    },
    logger: createLogger("auth", process.env.LOG_LEVEL ?? "silent"),
    overrides: {
      resetTokenDelivery: {
        async deliver(notice) {
          resetNotices.push(notice);
        },
      },
    },
  });
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  const redis = new Redis(stackVar("REDIS_URL"));
  return {
    service,
    url: service.url,
    transport: createGrpcTransport({ baseUrl: service.url }),
    transportFrom: (address) =>
      createGrpcTransport({ baseUrl: service.url, interceptors: [fromAddress(address)] }),
    signingKeys,
    admin,
    serviceClients,
    resetNotices,
    db,
    redis,
    async close() {
      await service.close();
      await db.end();
      redis.disconnect();
    },
  };
}

/** What a test file gets once its server has started. */
export interface StartedAuthTestServer {
  readonly server: AuthTestServer;
  /** Clients whose calls come from one random address, so rate-limit counters do not collide. */
  readonly clients: AuthClients;
  /** The AuthService client of `clients`. */
  readonly auth: AuthClients["auth"];
}

/**
 * Gives the calling test file an Auth service: in beforeAll it starts
 * the server and hands it, with clients, to `setup` (which keeps what the tests use and may prepare
 * more); in afterAll it closes the server. Call it at the top level of the file.
 */
export function useAuthTestServer(setup: (started: StartedAuthTestServer) => void | Promise<void>): void {
  let server: AuthTestServer | undefined;
  beforeAll(async () => {
    server = await startAuthTestServer();
    const clients = authClients(server.transportFrom(randomAddress()));
    await setup({ server, clients, auth: clients.auth });
  });
  afterAll(() => server?.close());
}
