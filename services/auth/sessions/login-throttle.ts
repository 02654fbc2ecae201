// Rate limiting of failed logins in Redis, per username and per client address: a fixed window that
// starts at the first failure. Once either counter reaches its limit, logins for that username (or
// from that address) are refused until the window ends, without checking the password at all.
import type { Redis } from "ioredis";
import type { Logger } from "../../runtime/logger.js";

/** Limits of failed logins. */
export interface LoginThrottleSettings {
  maxFailuresPerUser: number;
  maxFailuresPerAddress: number;
  windowSeconds: number;
}

/** The failed-login counters. */
export interface LoginThrottle {
  /** Seconds until a login for the username from the address may be tried again; undefined when allowed. */
  blockedFor(username: string, address: string): Promise<number | undefined>;
  /** Counts a failed login for the username and the address. */
  recordFailure(username: string, address: string): Promise<void>;
  /** Clears the username's counter (after a successful login or a password reset). */
  forgetUser(username: string): Promise<void>;
}

/** The Redis key of a username's failure counter (usernames are case-insensitive). */
export const userKey = (username: string) => `rl:login:user:${username.toLowerCase()}`;
/** The Redis key of a client address's failure counter. */
export const addressKey = (address: string) => `rl:login:ip:${address}`;

// INCR both counters; a counter's window starts with its first failure.
const recordFailureScript = `
for i, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('EXPIRE', key, ARGV[1]) end
end
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
  const redisFailed = (error: unknown) =>
    logger.warn({ err: error }, "login throttle: Redis unavailable, the limit is not applied (retryable)");

  return {
    async blockedFor(username, address) {
      try {
        const keys = [userKey(username), addressKey(address)];
        const limits = [settings.maxFailuresPerUser, settings.maxFailuresPerAddress];
        const results = await redis.multi().get(keys[0]!).ttl(keys[0]!).get(keys[1]!).ttl(keys[1]!).exec();
        if (!results) return undefined;
        const values = results.map(([error, value]) => {
          if (error) throw error;
          return value;
        });
        let retryAfter: number | undefined;
        for (const i of [0, 1]) {
          const count = Number(values[i * 2] ?? 0);
          const ttl = Number(values[i * 2 + 1]);
          if (count >= limits[i]!) {
            retryAfter = Math.max(retryAfter ?? 1, ttl > 0 ? ttl : settings.windowSeconds);
          }
        }
        if (retryAfter !== undefined) logger.warn({ address }, "login attempts throttled");
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
          userKey(username),
          addressKey(address),
          settings.windowSeconds,
        );
      } catch (error) {
        redisFailed(error);
      }
    },

    async forgetUser(username) {
      try {
        await redis.del(userKey(username));
      } catch (error) {
        redisFailed(error);
      }
    },
  };
}
