// The Loan & Credit service's routes: LoanService (applications and loans) and CreditService over
// its dependencies. No I/O happens here.
import { CreditService } from "../../gen/ts/fidalex/loan/v1/credit_service_pb.js";
import { LoanService } from "../../gen/ts/fidalex/loan/v1/loan_service_pb.js";
import type { DatabasePool } from "../runtime/database.js";
import type { Logger } from "../runtime/logger.js";
import type { BackgroundWorker, ServedRoutes } from "../runtime/service.js";
import { createApplicationHandlers } from "./applications/application-handler.js";
import type { ApplicationService } from "./applications/application-service.js";
import type { Underwriting } from "./applications/underwriting.js";
import type { AccountDirectory } from "./bank-accounts/account-directory.js";
import type { TransferGateway } from "./bank-accounts/transfer-gateway.js";
import type { Clock } from "./clock.js";
import type { FeatureStore } from "./credit/applicant-features.js";
import type { CreditBureau } from "./credit/credit-bureau.js";
import { createCreditHandlers } from "./credit/credit-handler.js";
import type { DelinquencyRun } from "./delinquency/delinquency-run.js";
import type { Disbursements } from "./loans/disbursement.js";
import { createLoanHandlers } from "./loans/loan-handler.js";
import type { Repayments } from "./loans/repayment-service.js";
import type { RecoveryWorker } from "./recovery/recovery-worker.js";

/** What the Loan & Credit service runs on. */
export interface LoanDeps {
  db: DatabasePool;
  logger: Logger;
  /** The time loans, payments and the delinquency run read (a test moves it). */
  clock: Clock;
  /** The credit bureau adapter (the sandbox in the local stack). */
  bureau: CreditBureau;
  /** The Account service: customers, accounts, settlement accounts. */
  directory: AccountDirectory;
  /** The Transaction service: payouts, repayments, account history. */
  transfers: TransferGateway;
  /** Applicants' features, cached in Redis. */
  features: FeatureStore;
  underwriting: Underwriting;
  applications: ApplicationService;
  disbursements: Disbursements;
  repayments: Repayments;
  /** Finishes assessments, payouts and repayments a request left unfinished. */
  recovery: RecoveryWorker;
  /** Ages installments and loans once a day. */
  delinquency: DelinquencyRun;
  /** The transaction.completed consumer that drops stale cached features; absent without Kafka. */
  cacheInvalidation?: BackgroundWorker;
}

/** The routes of the Loan & Credit service. */
export function loanRoutes(deps: LoanDeps): ServedRoutes {
  return {
    services: [LoanService, CreditService],
    routes(router) {
      router.service(LoanService, {
        ...createApplicationHandlers(deps.applications),
        ...createLoanHandlers(deps),
      });
      router.service(CreditService, createCreditHandlers(deps));
    },
  };
}
