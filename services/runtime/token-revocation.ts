// Revocation of access tokens within seconds. Every user has a token version (users.token_version
// in the Auth database, the record of truth); each access token carries the version it was issued
// at (claim `ver`). Role changes, logout, password resets and refresh-token theft raise the version,
// and the Auth service publishes it to Redis (`auth:tv:<user id>`). Every service compares a user
// token's `ver` with the published version on every call, behind a local memory of at most
// `maxStalenessMs` (1 s by default): a revoked token is refused within that second, at the cost of
// one Redis GET per user per second per process. The signature check may be cached
// (createVerifiedTokenCache); this check never is, beyond that second.
//
// A published version expires once every token issued before it has expired (the access-token
// lifetime plus a margin), so a missing key means "no revocation in the last lifetime". When Redis
// is unreachable the check lets tokens through (logged): Redis is never the record of truth in
// this mesh and a cache outage must not stop the bank; revocation then falls back to the token's
// own lifetime (5 minutes). Mesh service tokens (SERVICE role, no user) are not checked.
import { Code } from "@connectrpc/connect";
import type { Redis } from "ioredis";
import type { Principal } from "./auth.js";
import { domainError } from "./errors.js";
import { ExpiringMap } from "./expiring-map.js";
import type { Logger } from "./logger.js";

/** The Redis key of a user's published token version. */
export const tokenVersionKey = (userId: bigint) => `auth:tv:${userId}`;

/** Refuses a principal whose token was revoked. */
export type TokenRevocationCheck = (principal: Principal) => Promise<void>;

/** The error of a revoked token: UNAUTHENTICATED, reason TOKEN_REVOKED (refresh or log in again). */
export const tokenRevoked = () =>
  domainError(
    Code.Unauthenticated,
    "TOKEN_REVOKED",
    "the access token was revoked; refresh it or log in again",
  );

/** Creates the check every service runs after verifying a token's signature. */
export function createTokenRevocationCheck(options: {
  redis: Redis;
  logger: Logger;
  /** How long a version read from Redis is reused; 1000 ms by default, at most 2000. */
  maxStalenessMs?: number;
  maxEntries?: number;
}): TokenRevocationCheck {
  const { redis, logger } = options;
  const staleness = Math.min(options.maxStalenessMs ?? 1_000, 2_000);
  const maxEntries = options.maxEntries ?? 10_000;
  const known = new ExpiringMap<bigint, number>(maxEntries);
  let lastWarning = 0;

  const currentVersion = async (userId: bigint): Promise<number | undefined> => {
    const now = Date.now();
    const hit = known.get(userId, now);
    if (hit !== undefined) return hit;
    try {
      const version = Number((await redis.get(tokenVersionKey(userId))) ?? 0);
      known.set(userId, version, now + staleness);
      return version;
    } catch (err) {
      if (now - lastWarning > 30_000) {
        lastWarning = now;
        logger.warn({ err }, "token revocation not checked: Redis unavailable (retryable)");
      }
      return known.last(userId);
    }
  };

  return async (principal) => {
    if (principal.userId === 0n) return;
    const version = await currentVersion(principal.userId);
    if (version !== undefined && principal.tokenVersion < version) throw tokenRevoked();
  };
}

// KEYS[1] the user's key; ARGV: the version, its lifetime (ms). Never lowers a published version,
// so two revocations published out of order leave the higher one.
const publishScript = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local version = tonumber(ARGV[1])
if version >= current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

/**
 * Publishes a user's token version (after the transaction that raised it committed), to live for
 * `lifetimeMs` (at least the access-token lifetime). Throws when Redis cannot be reached.
 */
export async function publishTokenVersion(
  redis: Redis,
  userId: bigint,
  version: number,
  lifetimeMs: number,
): Promise<void> {
  await redis.eval(publishScript, 1, tokenVersionKey(userId), version, Math.ceil(lifetimeMs));
}
