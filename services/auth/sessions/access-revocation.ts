// Revoking a user's access tokens from the Auth service: raise the user's token version in the
// transaction that makes the change (role revoked, session ended, password reset, stolen refresh
// token), then publish it to Redis once the transaction committed, where every service checks it
// (services/runtime/token-revocation.ts).
import type { Redis } from "ioredis";
import type { CommonQueryMethods, DatabasePool } from "../../runtime/database.js";
import type { Logger } from "../../runtime/logger.js";
import { publishTokenVersion } from "../../runtime/token-revocation.js";
import { raiseTokenVersion } from "../users/user-repository.js";

/** Revokes every access token of a user issued so far (in the current transaction). */
export type RevokeAccess = (userId: bigint) => Promise<void>;

/** Transactions that may revoke access tokens. */
export interface AccessRevocation {
  /**
   * Runs `work` in a transaction; the users it revokes have their new token version published
   * after the commit. A publication that fails is logged (the tokens then live until they expire,
   * at most the access-token lifetime) and does not fail the change, which is committed.
   */
  transaction<T>(
    db: DatabasePool,
    work: (tx: CommonQueryMethods, revoke: RevokeAccess) => Promise<T>,
  ): Promise<T>;
}

/** Creates the revocation; `accessTokenTtlSeconds` bounds how long a published version must live. */
export function createAccessRevocation(deps: {
  redis: Redis;
  logger: Logger;
  accessTokenTtlSeconds: number;
}): AccessRevocation {
  const { redis, logger } = deps;
  // A minute beyond the lifetime covers clock skew between the services and token issue.
  const lifetimeMs = (deps.accessTokenTtlSeconds + 60) * 1000;
  return {
    async transaction(db, work) {
      const raised = new Map<bigint, number>();
      const result = await db.transaction((tx) =>
        work(tx, async (userId) => {
          const version = await raiseTokenVersion(tx, userId);
          if (version !== null) raised.set(userId, version);
        }),
      );
      for (const [userId, version] of raised) {
        try {
          await publishTokenVersion(redis, userId, version, lifetimeMs);
        } catch (err) {
          logger.error(
            { err, userId: String(userId) },
            "access tokens revoked in the database but not published: they stay valid until they expire",
          );
        }
      }
      return result;
    },
  };
}
