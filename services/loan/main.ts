// The Loan & Credit service: configuration, migrations, its dependencies (dependencies.ts), the
// routes, and the workers: recovery of unfinished assessments, payouts and repayments, the daily
// delinquency run and, with Kafka, the consumer that drops stale cached features
// (services/runtime/service.ts runs it). It listens only when this file is run directly.
import { defineService, serviceEntry } from "../runtime/service.js";
import { loadLoanConfig } from "./config.js";
import { createLoanDeps } from "./dependencies.js";
import { loanRoutes } from "./server.js";

export const loanService = defineService(import.meta.url, {
  loadConfig: loadLoanConfig,
  dependencies: createLoanDeps,
  routes: loanRoutes,
  workers: (deps) => [
    deps.recovery,
    deps.delinquency,
    ...(deps.cacheInvalidation ? [deps.cacheInvalidation] : []),
  ],
});

export const start = serviceEntry(loanService, import.meta.url);
