// The Account service's configuration: environment variables only, checked once at start, frozen.
import { amount, brokerList, loadConfig, port, url, z } from "../runtime/config.js";

/** Reads and validates the Account service's environment; throws ConfigError naming bad variables. */
export function loadAccountConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(
    "account",
    {
      /** Where the gRPC server listens; 18102 is the Account service's local port. */
      PORT: port().default(18102),
      HOST: z.string().min(1).default("127.0.0.1"),
      /** The service's own PostgreSQL database. */
      DATABASE_URL: url("postgres:", "postgresql:"),
      /** Connections to the database; postings hold one each while they run. */
      DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(16),
      /** The Auth service: key set for verifying tokens, service tokens, customer links. */
      AUTH_URL: url("http:", "https:"),
      /** This service's client credentials for the Auth service's internal RPCs. */
      SERVICE_CLIENT_ID: z.string().regex(/^[a-z][a-z0-9-]{1,49}$/, "must be a client id such as account"),
      SERVICE_CLIENT_SECRET: z.string().min(16).max(256),
      /** Redis, where the Auth service publishes revoked token versions; without it they are not checked. */
      REDIS_URL: url("redis:", "rediss:").optional(),
      /**
       * The highest daily withdrawal limit a customer may give their own account (the product's
       * maximum); only staff set a higher one.
       */
      CUSTOMER_MAX_DAILY_WITHDRAWAL_LIMIT: amount().default("5000.00"),
      /** Overdraft limits above this need a second staff member's approval (maker-checker). */
      OVERDRAFT_APPROVAL_THRESHOLD: amount().default("1000.00"),
      /** How often pending customer links are retried in the background. */
      CUSTOMER_LINK_RETRY_MS: z.coerce.number().int().min(1_000).default(15_000),
      /**
       * Kafka, for the loan.decided events that open customers' LOAN accounts; without it no
       * LOAN account is opened for approved loans.
       */
      KAFKA_BROKERS: brokerList().optional(),
    },
    env,
  );
}

/** The validated configuration of the Account service. */
export type AccountConfig = ReturnType<typeof loadAccountConfig>;
