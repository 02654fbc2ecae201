// The Payment service's configuration: environment variables only, checked once at start.
import { loadConfig, port, url, z } from "../runtime/config.js";

const positiveInt = () => z.coerce.number().int().positive();

/** The variables the service reads, with their defaults. */
export const paymentConfigShape = {
  PORT: port().default(18104),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: url("postgres:", "postgresql:"),
  DATABASE_POOL_SIZE: positiveInt().default(16),
  REDIS_URL: url("redis:", "rediss:"),
  AUTH_URL: url("http:", "https:"),
  ACCOUNT_URL: url("http:", "https:"),
  TRANSACTION_URL: url("http:", "https:"),
  SERVICE_CLIENT_ID: z.string().min(1),
  SERVICE_CLIENT_SECRET: z.string().min(1),
  // The payment processor's API (the sandbox processor in the local stack).
  PROCESSOR_URL: url("http:", "https:"),
  // How long one call to the processor may take before it counts as a timeout.
  PROCESSOR_TIMEOUT_MS: positiveInt().default(2_000),
  // Processor calls a payment gets before a timeout is final, and the first retry's delay
  // (doubling after each timeout).
  PROCESSOR_MAX_ATTEMPTS: positiveInt().max(20).default(4),
  PROCESSOR_RETRY_BASE_MS: positiveInt().default(1_000),
  // How often a PENDING payment's status is asked from the processor.
  PROCESSOR_POLL_MS: positiveInt().default(2_000),
  // How long a completed ACH payment is watched for a return by the beneficiary's bank.
  ACH_RETURN_WINDOW_MS: positiveInt().default(2 * 24 * 3600 * 1000),
  // The customer that is the bank itself: payments are debited into its settlement account of
  // the payment's currency until the network has paid them.
  SETTLEMENT_CUSTOMER_ID: z
    .string()
    .regex(/^[1-9][0-9]{0,18}$/, "must be a positive id")
    .default("1")
    .transform((value) => BigInt(value)),
  // Payments an account may make in a sliding window (rl:payment:{account_id}).
  PAYMENT_RATE_LIMIT: positiveInt().default(20),
  PAYMENT_RATE_WINDOW_MS: positiveInt().default(60_000),
  // How often the processing worker looks for payments with work left.
  PROCESSING_INTERVAL_MS: positiveInt().default(1_000),
  // How often the scheduler looks for due schedules.
  SCHEDULER_INTERVAL_MS: positiveInt().default(5_000),
};

/** The validated, frozen configuration of the Payment service. */
export type PaymentConfig = ReturnType<typeof loadPaymentConfig>;

/** Reads the configuration; throws ConfigError naming every bad or missing variable. */
export function loadPaymentConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig("payment", paymentConfigShape, env);
}

/** How patient the processing is with the processor (processing/payment-processing.ts). */
export function processingSettings(config: PaymentConfig) {
  return {
    maxAttempts: config.PROCESSOR_MAX_ATTEMPTS,
    retryBaseMs: config.PROCESSOR_RETRY_BASE_MS,
    pollMs: config.PROCESSOR_POLL_MS,
    returnWindowMs: config.ACH_RETURN_WINDOW_MS,
  };
}

/** Payments an account may make in a sliding window (rl:payment:{account_id}). */
export function rateRule(config: PaymentConfig) {
  return { limit: config.PAYMENT_RATE_LIMIT, windowMs: config.PAYMENT_RATE_WINDOW_MS };
}
