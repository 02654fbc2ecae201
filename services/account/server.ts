// The Account service's server: CustomerService, AccountService and the internal PostingService
// over the shared runtime's server (health, reflection, authentication, validation, errors).
// build() only wires; nothing here does I/O at import time.
import { fileURLToPath } from "node:url";
import type { JWTVerifyGetKey } from "jose";
import { AccountService } from "../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { CustomerService } from "../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { PostingService } from "../../gen/ts/fidalex/account/v1/posting_service_pb.js";
import type { DatabasePool } from "../runtime/database.js";
import type { Logger } from "../runtime/logger.js";
import { createServiceServer, type ServiceServer } from "../runtime/server.js";
import { createAccountLogHandlers } from "./account-log/account-log-handler.js";
import { createAccountHandlers } from "./account/account-handler.js";
import { createBranchHandlers } from "./branch/branch-handler.js";
import type { CustomerLinks } from "./customer/customer-link.js";
import { createCustomerHandlers } from "./customer/customer-handler.js";
import { createPostingHandlers } from "./posting/posting-handler.js";

/** The Account service's SQL migrations, applied in order at start. */
export const migrationsDir = fileURLToPath(new URL("./migrations/", import.meta.url));

/** What the Account service runs on. */
export interface AccountServiceDeps {
  /** The service's own PostgreSQL database. */
  db: DatabasePool;
  /** Resolves the Auth service's signing keys for verifying access tokens. */
  keys: JWTVerifyGetKey;
  logger: Logger;
  /** The Auth service's customer links (a recording fake in tests that are not about Auth). */
  customerLinks: CustomerLinks;
}

/** Builds the Account service's server; it listens only when `listen` is called. */
export function build(deps: AccountServiceDeps): ServiceServer {
  return createServiceServer({
    name: "account",
    logger: deps.logger,
    keys: deps.keys,
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
  });
}
