// The dependencies the Transaction service's server and recovery worker are built from; main.ts
// creates them from the configuration, tests create them over the stack and test keys.
import type { Transport } from "@connectrpc/connect";
import type { Redis } from "ioredis";
import type { DatabasePool } from "../runtime/database.js";
import type { Logger } from "../runtime/logger.js";
import { createAccountLocks } from "./redis/account-locks.js";
import { createPostingGateway } from "./saga/posting-gateway.js";
import { createTransactionSaga, type TransactionSaga } from "./saga/transaction-saga.js";

/** What the server and the recovery worker are made of. */
export interface TransactionDeps {
  db: DatabasePool;
  /** Optional: advisory locks and pending flags only; the service works without Redis. */
  redis?: Redis;
  /** A transport to the Account service that carries this service's SERVICE token. */
  accountTransport: Transport;
  logger: Logger;
  /** The customer that is the bank itself: its accounts are the settlement accounts; default 1. */
  settlementCustomerId?: bigint;
  /** How long one call to the Account service may take; default 5 s. */
  accountCallTimeoutMs?: number;
  /**
   * How long after an inconclusive attempt a replay may apply the postings again; default twice
   * the call timeout, so any call still in flight has ended.
   */
  settleDelaySeconds?: number;
}

/** The saga over the dependencies (stateless apart from them, so server and worker may each build one). */
export function createSaga(deps: TransactionDeps): TransactionSaga {
  const timeoutMs = deps.accountCallTimeoutMs ?? 5_000;
  return createTransactionSaga({
    db: deps.db,
    postings: createPostingGateway(deps.accountTransport, { timeoutMs }),
    locks: createAccountLocks(deps.redis, deps.logger),
    logger: deps.logger,
    settleDelaySeconds: deps.settleDelaySeconds ?? Math.ceil((2 * timeoutMs) / 1000),
  });
}
