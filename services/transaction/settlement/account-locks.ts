// The spec's Redis keys for the Transaction service: short-TTL advisory locks per account
// (`lock:acct:{account_id}`) and in-flight flags (`txn:pending:{transaction_id}`). They are an
// optimization only: correctness rests on the Account service's row locks, the transaction ids it
// applies at most once and our idempotency keys. When Redis is slow or down, every operation here
// gives up quickly, logs, and lets the caller carry on.
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "../../runtime/logger.js";

/** Advisory account locks and pending flags; never throws. */
export interface AccountLocks {
  /**
   * Runs fn while holding `lock:acct:{accountId}` when it can be had within the wait, and runs it
   * anyway when it cannot (the lock only spares the Account service contention).
   */
  withAccountLock<T>(accountId: bigint, fn: () => Promise<T>): Promise<T>;
  /** Sets `txn:pending:{id}` while a transaction is in flight. */
  markPending(transactionId: bigint): Promise<void>;
  /** Removes `txn:pending:{id}` once the transaction has a final status. */
  clearPending(transactionId: bigint): Promise<void>;
}

/** Tuning of the advisory locks. */
export interface AccountLockOptions {
  /** How long a lock lives if its holder never releases it. */
  lockTtlMs?: number;
  /** How long to wait for a lock before going ahead without it. */
  lockWaitMs?: number;
  /** How long a pending flag lives if nobody clears it. */
  pendingTtlSeconds?: number;
}

// Deletes the lock only if it still holds our token, so an expired lock taken over by another
// holder is not released by us.
const releaseScript = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;

/** Creates the locks over a Redis client, or no-ops when there is none. */
export function createAccountLocks(
  redis: Redis | undefined,
  logger: Logger,
  options: AccountLockOptions = {},
): AccountLocks {
  const lockTtlMs = options.lockTtlMs ?? 3_000;
  const lockWaitMs = options.lockWaitMs ?? 500;
  const pendingTtlSeconds = options.pendingTtlSeconds ?? 24 * 3600;
  let lastWarning = 0;
  const warn = (error: unknown, what: string) => {
    if (Date.now() - lastWarning > 30_000) {
      lastWarning = Date.now();
      logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        `redis ${what} failed; continuing`,
      );
    }
  };

  if (!redis) {
    return {
      withAccountLock: (_accountId, fn) => fn(),
      markPending: async () => {},
      clearPending: async () => {},
    };
  }

  const acquire = async (key: string, token: string): Promise<boolean> => {
    const deadline = Date.now() + lockWaitMs;
    for (;;) {
      try {
        if ((await redis.set(key, token, "PX", lockTtlMs, "NX")) === "OK") return true;
      } catch (error) {
        warn(error, "lock");
        return false;
      }
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 20));
    }
  };

  return {
    async withAccountLock(accountId, fn) {
      const key = `lock:acct:${accountId}`;
      const token = randomUUID();
      const held = await acquire(key, token);
      try {
        return await fn();
      } finally {
        if (held) await redis.eval(releaseScript, 1, key, token).catch((error) => warn(error, "unlock"));
      }
    },
    async markPending(transactionId) {
      await redis
        .set(`txn:pending:${transactionId}`, new Date().toISOString(), "EX", pendingTtlSeconds)
        .catch((error) => warn(error, "pending flag"));
    },
    async clearPending(transactionId) {
      await redis.del(`txn:pending:${transactionId}`).catch((error) => warn(error, "pending flag"));
    },
  };
}
