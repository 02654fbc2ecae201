// Failed logins in Redis, so guessing passwords gets slow without anyone being able to lock a user
// out. Two counters:
// - per username and client address: the first `freeFailures` failures cost nothing, then each
//   further one doubles the wait before the next attempt from that address (1 s, 2 s, 4 s, … up to
//   `maxDelaySeconds`). Someone guessing the admin's password from one address slows only
//   themselves: the admin logs in from any other address at once. Forgotten after a success, or
//   `windowSeconds` (at least the longest delay) after the last failure;
// - per client address, over every username (password spraying): at most `maxFailuresPerAddress`
//   failures in a fixed window of `windowSeconds` that starts at the first failure.
// While a wait runs, logins from there are refused without checking the password at all.
import type { Redis } from "ioredis";
import type { Logger } from "../../runtime/logger.js";

/** Limits of failed logins. */
export interface LoginThrottleSettings {
  /** Failures per username and address before the waits begin. */
  freeFailures: number;
  /** The longest wait between two attempts for a username from one address. */
  maxDelaySeconds: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

/** The failed-login counters. */
export interface LoginThrottle {
  /** Seconds until a login for the username from the address may be tried again; undefined when allowed. */
  blockedFor(username: string, address: string): Promise<number | undefined>;
  /** Counts a failed login for the username from the address, and for the address. */
  recordFailure(username: string, address: string): Promise<void>;
  /** Forgets the username's failures from the address (after a successful login or password reset). */
  forget(username: string, address: string): Promise<void>;
}

/** The Redis key (a hash: failures n, last failure ms) of a username's failures from an address. */
export const pairKey = (username: string, address: string) =>
  `rl:login:pair:${username.toLowerCase()}:${address}`;
/** The Redis key of a client address's failure counter. */
export const addressKey = (address: string) => `rl:login:ip:${address}`;

/** The wait after `failures` failures: none for the free ones, then 1 s doubling up to the cap. */
export function loginDelaySeconds(failures: number, settings: LoginThrottleSettings): number {
  const beyond = failures - settings.freeFailures;
  if (beyond <= 0) return 0;
  return Math.min(2 ** Math.min(beyond - 1, 30), settings.maxDelaySeconds);
}

// KEYS: the pair, the address; ARGV: now (ms), the pair's lifetime (s), the address window (s).
const recordFailureScript = `
redis.call('HINCRBY', KEYS[1], 'n', 1)
redis.call('HSET', KEYS[1], 'last', ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
if redis.call('INCR', KEYS[2]) == 1 then redis.call('EXPIRE', KEYS[2], ARGV[3]) end
return 0`;

/**
 * Creates the throttle. When Redis is unreachable it lets logins through (and logs it): a cache
 * outage must not lock every customer out, and argon2 still makes each guess expensive.
 */
export function createLoginThrottle(deps: {
  redis: Redis;
  logger: Logger;
  settings: LoginThrottleSettings;
}): LoginThrottle {
  const { redis, logger, settings } = deps;
  const pairLifetime = Math.max(settings.windowSeconds, settings.maxDelaySeconds);
  const redisFailed = (error: unknown) =>
    logger.warn({ err: error }, "login throttle: Redis unavailable, the limit is not applied (retryable)");

  return {
    async blockedFor(username, address) {
      try {
        const results = await redis
          .multi()
          .hmget(pairKey(username, address), "n", "last")
          .get(addressKey(address))
          .ttl(addressKey(address))
          .exec();
        if (!results) return undefined;
        const [pair, addressCount, addressTtl] = results.map(([error, value]) => {
          if (error) throw error;
          return value;
        }) as [Array<string | null>, string | null, number];
        let retryAfter: number | undefined;
        const delayMs = loginDelaySeconds(Number(pair[0] ?? 0), settings) * 1000;
        const waitMs = Number(pair[1] ?? 0) + delayMs - Date.now();
        if (delayMs > 0 && waitMs > 0) retryAfter = Math.ceil(waitMs / 1000);
        if (Number(addressCount ?? 0) >= settings.maxFailuresPerAddress) {
          retryAfter = Math.max(retryAfter ?? 1, addressTtl > 0 ? addressTtl : settings.windowSeconds);
        }
        if (retryAfter !== undefined) logger.warn({ address, retryAfter }, "login attempts throttled");
        return retryAfter;
      } catch (error) {
        redisFailed(error);
        return undefined;
      }
    },

    async recordFailure(username, address) {
      try {
        await redis.eval(
          recordFailureScript,
          2,
          pairKey(username, address),
          addressKey(address),
          Date.now(),
          pairLifetime,
          settings.windowSeconds,
        );
      } catch (error) {
        redisFailed(error);
      }
    },

    async forget(username, address) {
      try {
        await redis.del(pairKey(username, address));
      } catch (error) {
        redisFailed(error);
      }
    },
  };
}
