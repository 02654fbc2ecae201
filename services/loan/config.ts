// The Loan & Credit service's configuration: environment variables only, checked once at start,
// frozen.
import { brokerList, loadConfig, port, url, z } from "../runtime/config.js";

const positiveInt = () => z.coerce.number().int().positive();
const amount = () =>
  z.string().regex(/^(0|[1-9]\d{0,15})(\.\d{1,2})?$/, "must be a decimal amount such as 250000.00");

/** The variables the service reads, with their defaults. */
export const loanConfigShape = {
  PORT: port().default(18105),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: url("postgres:", "postgresql:"),
  DATABASE_POOL_SIZE: positiveInt().default(10),
  // The feature cache (loan:features:{customer_id}); without Redis every assessment computes the
  // features afresh.
  REDIS_URL: url("redis:", "rediss:").optional(),
  // Kafka, for the transaction.completed events that invalidate the feature cache; without it the
  // cache entries simply live out their TTL.
  KAFKA_BROKERS: brokerList().optional(),
  AUTH_URL: url("http:", "https:"),
  ACCOUNT_URL: url("http:", "https:"),
  TRANSACTION_URL: url("http:", "https:"),
  SERVICE_CLIENT_ID: z.string().regex(/^[a-z][a-z0-9-]{1,49}$/, "must be a client id such as loan"),
  SERVICE_CLIENT_SECRET: z.string().min(16).max(256),
  // The customer that is the bank itself; its ACTIVE accounts are the settlement accounts (one per
  // currency) that pay loans out and take repayments in. The Account service seeds it as 1.
  SETTLEMENT_CUSTOMER_ID: z
    .string()
    .regex(/^[1-9][0-9]{0,18}$/, "must be a positive id")
    .transform((value) => BigInt(value))
    .default("1"),
  // How long one call to the Account or the Transaction service may take.
  DOWNSTREAM_CALL_TIMEOUT_MS: positiveInt().default(5_000),
  // The credit bureau adapter; "sandbox" is the deterministic sandbox (credit/sandbox-bureau.ts).
  CREDIT_BUREAU: z.enum(["sandbox"]).default("sandbox"),
  // How long an applicant's features stay cached, and the window of history they are read from.
  FEATURE_CACHE_TTL_SECONDS: positiveInt().default(3_600),
  FEATURE_WINDOW_DAYS: positiveInt().max(366).default(90),
  // The bank's limits on what may be asked (the contract allows terms up to 480 months).
  LOAN_MIN_AMOUNT: amount().default("100.00"),
  LOAN_MAX_AMOUNT: amount().default("250000.00"),
  LOAN_MAX_TERM_MONTHS: positiveInt().max(480).default(480),
  // Days an installment may stay unpaid after its due date before it is DEFAULTED (and with it the
  // loan): 90 days past due, the usual regulatory definition of default.
  LOAN_DEFAULT_GRACE_DAYS: positiveInt().default(90),
  // How often the daily delinquency run checks whether today's run has happened yet.
  DELINQUENCY_CHECK_INTERVAL_MS: positiveInt().default(600_000),
  // The recovery worker: how often it runs, how old an unfinished assessment, payout or repayment
  // must be before it takes it over, and how many it takes per run.
  RECOVERY_INTERVAL_MS: positiveInt().default(15_000),
  RECOVERY_MIN_AGE_SECONDS: positiveInt().default(30),
  RECOVERY_BATCH_SIZE: positiveInt().default(50),
};

/** The validated, frozen configuration of the Loan & Credit service. */
export type LoanConfig = ReturnType<typeof loadLoanConfig>;

/** Reads the configuration; throws ConfigError naming every bad or missing variable. */
export function loadLoanConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig("loan", loanConfigShape, env);
}
