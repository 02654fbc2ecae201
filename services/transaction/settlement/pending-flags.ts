// The spec's in-flight flags of the Transaction service in Redis: `txn:pending:{transaction_id}`
// is set while a transaction is PENDING and removed once it has a final status, so operators and
// other tools can see what is in flight without querying the database. They are informational:
// correctness rests on the database (the transaction row's lock while settling, the Account
// service's account row locks, the ids it applies at most once, our idempotency keys). When Redis
// is slow or down, every operation here gives up quickly, logs, and lets the caller carry on.
//
// The spec's advisory account lock (`lock:acct:{account_id}`) is not taken: the Account service's
// row locks (FOR NO KEY UPDATE, in account id order) already serialize the changes of one account,
// and a Redis lock in front of them held each account for a whole settlement and made waiters
// poll, which capped transfers from one busy account far below what its row lock allows
// (bench/README.md, "Transfer throughput").
import type { Redis } from "ioredis";
import type { Logger } from "../../runtime/logger.js";

/** In-flight flags; never throws. */
export interface PendingFlags {
  /** Sets `txn:pending:{id}` while a transaction is in flight. */
  mark(transactionId: bigint): Promise<void>;
  /** Removes `txn:pending:{id}` once the transaction has a final status. */
  clear(transactionId: bigint): Promise<void>;
}

/** Creates the flags over a Redis client, or no-ops when there is none. */
export function createPendingFlags(
  redis: Redis | undefined,
  logger: Logger,
  options: { ttlSeconds?: number } = {},
): PendingFlags {
  const ttlSeconds = options.ttlSeconds ?? 24 * 3600;
  let lastWarning = 0;
  const warn = (error: unknown) => {
    if (Date.now() - lastWarning > 30_000) {
      lastWarning = Date.now();
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        "redis pending flag failed; continuing",
      );
    }
  };
  if (!redis) return { mark: async () => {}, clear: async () => {} };
  return {
    async mark(transactionId) {
      await redis.set(`txn:pending:${transactionId}`, new Date().toISOString(), "EX", ttlSeconds).catch(warn);
    },
    async clear(transactionId) {
      await redis.del(`txn:pending:${transactionId}`).catch(warn);
    },
  };
}
