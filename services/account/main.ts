// The Account service: configuration, migrations, the Auth service's customer links, the routes,
// the link retry worker and, with Kafka, the loan.decided consumer that opens LOAN accounts
// (services/runtime/service.ts runs it). It listens only when this file is run directly.
import { defineService, serviceEntry } from "../runtime/service.js";
import { loadAccountConfig } from "./config.js";
import { createAuthCustomerLinks, createCustomerLinkWorker } from "./customer/customer-link.js";
import { createLoanAccountOpening } from "./loan-accounts/loan-account-opening.js";
import { accountRoutes, type AccountDeps } from "./server.js";

export const accountService = defineService(import.meta.url, {
  loadConfig: loadAccountConfig,
  async dependencies(ctx): Promise<AccountDeps> {
    const { config, logger } = ctx;
    const db = await ctx.database();
    const customerLinks = ctx.provide("customerLinks", () =>
      createAuthCustomerLinks(ctx.serviceTransport(config.AUTH_URL)),
    );
    const linkWorker = createCustomerLinkWorker(
      { db, customerLinks, logger },
      { intervalMs: config.CUSTOMER_LINK_RETRY_MS },
    );
    const loanAccounts = config.KAFKA_BROKERS
      ? createLoanAccountOpening({ db, brokers: config.KAFKA_BROKERS, logger })
      : undefined;
    const limits = {
      customerMaxDailyWithdrawal: config.CUSTOMER_MAX_DAILY_WITHDRAWAL_LIMIT,
      overdraftApprovalThreshold: config.OVERDRAFT_APPROVAL_THRESHOLD,
    };
    return { db, logger, customerLinks, linkWorker, loanAccounts, limits };
  },
  routes: accountRoutes,
  workers: (deps) => [deps.linkWorker, ...(deps.loanAccounts ? [deps.loanAccounts] : [])],
});

export const start = serviceEntry(accountService, import.meta.url);
