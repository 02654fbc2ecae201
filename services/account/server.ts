// The Account service's routes: CustomerService, AccountService and the internal PostingService
// over its dependencies. No I/O happens here.
import { AccountService } from "../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { CustomerService } from "../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { PostingService } from "../../gen/ts/fidalex/account/v1/posting_service_pb.js";
import type { DatabasePool } from "../runtime/database.js";
import type { Logger } from "../runtime/logger.js";
import type { BackgroundWorker, ServedRoutes } from "../runtime/service.js";
import { createAccountLogHandlers } from "./account-log/account-log-handler.js";
import { createAccountHandlers } from "./account/account-handler.js";
import type { SettingsLimits } from "./account/account-service.js";
import { createBranchHandlers } from "./branch/branch-handler.js";
import type { CustomerLinks, CustomerLinkWorker } from "./customer/customer-link.js";
import { createCustomerHandlers } from "./customer/customer-handler.js";
import { createPostingHandlers } from "./posting/posting-handler.js";

/** What the Account service runs on. */
export interface AccountDeps {
  /** The service's own PostgreSQL database. */
  db: DatabasePool;
  logger: Logger;
  /** The Auth service's customer links (a recording fake in tests that are not about Auth). */
  customerLinks: CustomerLinks;
  /** Retries the customer links Auth could not make at once. */
  linkWorker: CustomerLinkWorker;
  /** The bounds of settings changes: the customers' maximum, the overdraft approval threshold. */
  limits: SettingsLimits;
  /** Opens the LOAN accounts of approved loans (loan.decided); absent without Kafka. */
  loanAccounts?: BackgroundWorker;
}

/** The routes of the Account service. */
export function accountRoutes(deps: AccountDeps): ServedRoutes {
  return {
    services: [CustomerService, AccountService, PostingService],
    routes(router) {
      router.service(CustomerService, createCustomerHandlers(deps));
      router.service(AccountService, {
        ...createAccountHandlers(deps),
        ...createAccountLogHandlers(deps),
        ...createBranchHandlers(deps),
      });
      router.service(PostingService, createPostingHandlers(deps));
    },
  };
}
