// The Transaction service: configuration, migrations, the Account service's directory and
// postings, the settlement saga, the routes and the recovery worker (services/runtime/service.ts
// runs it). It listens only when this file is run directly.
import { defineService, serviceEntry } from "../runtime/service.js";
import { createAccountDirectory } from "../runtime/account-directory.js";
import { loadTransactionConfig, recoverySettings } from "./config.js";
import { transactionRoutes, type TransactionDeps } from "./server.js";
import { createPendingFlags } from "./settlement/pending-flags.js";
import { createPostingGateway } from "./settlement/posting-gateway.js";
import { createRecoveryWorker } from "./settlement/recovery-worker.js";
import { createSettlementSaga } from "./settlement/settlement-saga.js";

export const transactionService = defineService(import.meta.url, {
  loadConfig: loadTransactionConfig,
  async dependencies(ctx): Promise<TransactionDeps> {
    const { config, logger } = ctx;
    const db = await ctx.database();
    const accountTransport = ctx.provide("accountTransport", () => ctx.serviceTransport(config.ACCOUNT_URL));
    const timeoutMs = config.ACCOUNT_CALL_TIMEOUT_MS;
    const saga = createSettlementSaga({
      db,
      logger,
      postings: createPostingGateway(accountTransport, { timeoutMs }),
      pending: createPendingFlags(config.REDIS_URL ? ctx.redis(config.REDIS_URL) : undefined, logger),
      settleDelaySeconds: config.SETTLE_DELAY_SECONDS ?? Math.ceil((2 * timeoutMs) / 1000),
    });
    const directory = createAccountDirectory(accountTransport, {
      timeoutMs,
      settlementCustomerId: config.SETTLEMENT_CUSTOMER_ID,
    });
    const recovery = createRecoveryWorker({ db, saga, logger, ...recoverySettings(config) });
    const cashApprovalThreshold = config.CASH_APPROVAL_THRESHOLD;
    return { db, logger, accountTransport, directory, saga, recovery, cashApprovalThreshold };
  },
  routes: transactionRoutes,
  workers: (deps) => [deps.recovery],
});

export const start = serviceEntry(transactionService, import.meta.url);
