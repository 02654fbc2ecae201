// The Transaction service's configuration: environment variables only, checked once at start.
import { amount, loadConfig, port, url, z } from "../runtime/config.js";

const positiveInt = () => z.coerce.number().int().positive();
const entityId = () =>
  z
    .string()
    .regex(/^[1-9][0-9]{0,18}$/, "must be a positive id")
    .transform((value) => BigInt(value));

/** The variables the service reads, with their defaults. */
export const transactionConfigShape = {
  PORT: port().default(18103),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: url("postgres:", "postgresql:"),
  DATABASE_POOL_SIZE: positiveInt().default(20),
  // Redis holds the in-flight flags only; without it the service still works.
  REDIS_URL: url("redis:", "rediss:").optional(),
  AUTH_URL: url("http:", "https:"),
  ACCOUNT_URL: url("http:", "https:"),
  SERVICE_CLIENT_ID: z.string().min(1),
  SERVICE_CLIENT_SECRET: z.string().min(1),
  // The customer that is the bank itself; its ACTIVE accounts are the settlement accounts (one
  // per currency) that deposits and withdrawals post against. The Account service seeds it as 1.
  SETTLEMENT_CUSTOMER_ID: entityId().default("1"),
  // Cash deposits and withdrawals above this amount (in the account's currency) wait for a second
  // staff member's approval (maker-checker).
  CASH_APPROVAL_THRESHOLD: amount().default("10000.00"),
  // How long one call to the Account service may take.
  ACCOUNT_CALL_TIMEOUT_MS: positiveInt().default(5_000),
  // How long after an attempt without an outcome a replay may apply the postings again; by
  // default twice the call timeout, so any call still in flight has ended.
  SETTLE_DELAY_SECONDS: positiveInt().optional(),
  // How often the recovery worker looks for PENDING transactions, and how old they must be.
  RECOVERY_INTERVAL_MS: positiveInt().default(10_000),
  RECOVERY_MIN_AGE_SECONDS: positiveInt().default(30),
  RECOVERY_BATCH_SIZE: positiveInt().default(100),
};

/** The validated, frozen configuration of the Transaction service. */
export type TransactionConfig = ReturnType<typeof loadTransactionConfig>;

/** Reads the configuration; throws ConfigError naming every bad or missing variable. */
export function loadTransactionConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig("transaction", transactionConfigShape, env);
}

/** The recovery worker's schedule and batch size. */
export function recoverySettings(config: TransactionConfig) {
  return {
    intervalMs: config.RECOVERY_INTERVAL_MS,
    minAgeSeconds: config.RECOVERY_MIN_AGE_SECONDS,
    batchSize: config.RECOVERY_BATCH_SIZE,
  };
}
