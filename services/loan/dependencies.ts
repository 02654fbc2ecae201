// How the Loan & Credit service's dependencies are built from its configuration: the database,
// the Account and Transaction services under the service's SERVICE token, the bureau, the feature
// cache, the rules and the workers. A test replaces the clock or the bureau through ctx.provide.
import type { ServiceContext } from "../runtime/service.js";
import { createApplicationService } from "./applications/application-service.js";
import { createUnderwriting } from "./applications/underwriting.js";
import { createAccountDirectory } from "./bank-accounts/account-directory.js";
import { createTransferGateway } from "./bank-accounts/transfer-gateway.js";
import { systemClock } from "./clock.js";
import type { LoanConfig } from "./config.js";
import { createFeatureStore } from "./credit/applicant-features.js";
import { createFeatureCacheInvalidation } from "./credit/feature-cache-invalidation.js";
import { createSandboxBureau } from "./credit/sandbox-bureau.js";
import { createDelinquencyRun } from "./delinquency/delinquency-run.js";
import { createDisbursements } from "./loans/disbursement.js";
import { createRepayments } from "./loans/repayment-service.js";
import { createRecoveryWorker } from "./recovery/recovery-worker.js";
import type { LoanDeps } from "./server.js";

/** Builds the dependencies of the service. */
export async function createLoanDeps(ctx: ServiceContext<LoanConfig, LoanDeps>): Promise<LoanDeps> {
  const { config, logger } = ctx;
  const db = await ctx.database();
  const clock = ctx.provide("clock", () => systemClock);
  const bureau = ctx.provide("bureau", () => createSandboxBureau());
  const timeoutMs = config.DOWNSTREAM_CALL_TIMEOUT_MS;
  const directory = createAccountDirectory(ctx.serviceTransport(config.ACCOUNT_URL), {
    timeoutMs,
    settlementCustomerId: config.SETTLEMENT_CUSTOMER_ID,
  });
  const transfers = createTransferGateway(ctx.serviceTransport(config.TRANSACTION_URL), { timeoutMs });
  const features = createFeatureStore({
    db,
    bureau,
    directory,
    transfers,
    clock,
    logger,
    redis: config.REDIS_URL ? ctx.redis(config.REDIS_URL) : undefined,
    ttlSeconds: config.FEATURE_CACHE_TTL_SECONDS,
    windowDays: config.FEATURE_WINDOW_DAYS,
  });
  const underwriting = createUnderwriting({ db, directory, features, clock, logger });
  const disbursements = createDisbursements({ db, transfers, logger });
  const repayments = createRepayments({ db, directory, transfers, clock, logger });
  const applications = createApplicationService({
    db,
    directory,
    underwriting,
    disbursements,
    clock,
    logger,
    limits: {
      minAmount: config.LOAN_MIN_AMOUNT,
      maxAmount: config.LOAN_MAX_AMOUNT,
      maxTermMonths: config.LOAN_MAX_TERM_MONTHS,
    },
  });
  const recovery = createRecoveryWorker({
    db,
    underwriting,
    disbursements,
    repayments,
    logger,
    intervalMs: config.RECOVERY_INTERVAL_MS,
    minAgeSeconds: config.RECOVERY_MIN_AGE_SECONDS,
    batchSize: config.RECOVERY_BATCH_SIZE,
  });
  const delinquency = createDelinquencyRun({
    db,
    clock,
    logger,
    graceDays: config.LOAN_DEFAULT_GRACE_DAYS,
    intervalMs: config.DELINQUENCY_CHECK_INTERVAL_MS,
  });
  const cacheInvalidation = config.KAFKA_BROKERS
    ? createFeatureCacheInvalidation({ brokers: config.KAFKA_BROKERS, features, logger })
    : undefined;
  return {
    db,
    logger,
    clock,
    bureau,
    directory,
    transfers,
    features,
    underwriting,
    applications,
    disbursements,
    repayments,
    recovery,
    delinquency,
    cacheInvalidation,
  };
}
