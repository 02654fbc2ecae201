// The Transaction service's routes over its dependencies: the movements of money and the reads,
// behind one TransactionService. No I/O happens here.
import type { Transport } from "@connectrpc/connect";
import { TransactionService } from "../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import type { DatabasePool } from "../runtime/database.js";
import type { Logger } from "../runtime/logger.js";
import type { ServedRoutes } from "../runtime/service.js";
import { createAccountAccess } from "../runtime/account-access.js";
import type { AccountDirectory } from "../runtime/account-directory.js";
import { createMovementService } from "./movements/movement-service.js";
import type { RecoveryWorker } from "./settlement/recovery-worker.js";
import type { SettlementSaga } from "./settlement/settlement-saga.js";
import { createTransactionHandlers } from "./transactions/transaction-handler.js";
import { createTransactionQueryService } from "./transactions/transaction-query-service.js";

/** What the Transaction service runs on. */
export interface TransactionDeps {
  db: DatabasePool;
  logger: Logger;
  /** A transport to the Account service that carries this service's SERVICE token. */
  accountTransport: Transport;
  /** What the Account service says about accounts (owners, settlement accounts). */
  directory: AccountDirectory;
  /** Records and settles every movement through the Account service's postings. */
  saga: SettlementSaga;
  /** Cash movements above this amount wait for a second staff member (CASH_APPROVAL_THRESHOLD). */
  cashApprovalThreshold?: string;
  /** Finishes PENDING transactions that a crash or an outage left behind. */
  recovery: RecoveryWorker;
}

/** The routes of the Transaction service. */
export function transactionRoutes(deps: TransactionDeps): ServedRoutes {
  const { db, saga, directory, cashApprovalThreshold } = deps;
  const access = createAccountAccess(directory);
  const handlers = createTransactionHandlers(
    createMovementService({ db, saga, directory, access, cashApprovalThreshold }),
    createTransactionQueryService({ db, directory, access }),
  );
  return {
    services: [TransactionService],
    routes: (router) => router.service(TransactionService, handlers),
  };
}
