// The Transaction service's server: its routes over the shared runtime's server (health,
// reflection, authentication, validation, error translation). No I/O happens here.
import type { JWTVerifyGetKey } from "jose";
import { TransactionService } from "../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { createServiceServer, type ServiceServer } from "../runtime/server.js";
import { createAccountDirectory } from "./accounts/account-directory.js";
import { createSaga, type TransactionDeps } from "./dependencies.js";
import { createTransactionHandlers } from "./transactions/transaction-handler.js";
import { createTransactionService } from "./transactions/transaction-service.js";

/** What build needs: the shared dependencies plus the key resolver for access tokens. */
export interface TransactionServerDeps extends TransactionDeps {
  /** Resolves the Auth service's signing keys. */
  keys: JWTVerifyGetKey;
}

/** Builds the server; it listens only when `listen` is called. */
export function build(deps: TransactionServerDeps): ServiceServer {
  const service = createTransactionService({
    db: deps.db,
    saga: createSaga(deps),
    accounts: createAccountDirectory(deps.accountTransport, {
      timeoutMs: deps.accountCallTimeoutMs ?? 5_000,
      settlementCustomerId: deps.settlementCustomerId ?? 1n,
    }),
  });
  const handlers = createTransactionHandlers(service);
  return createServiceServer({
    name: "transaction",
    logger: deps.logger,
    services: [TransactionService],
    routes: (router) => router.service(TransactionService, handlers),
    keys: deps.keys,
  });
}
