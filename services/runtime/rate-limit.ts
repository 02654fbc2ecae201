// Sliding-window rate limits in Redis (`rl:<what>:<id>`): at most `limit` events in any window of
// `windowMs`. Each key is a sorted set of event times, trimmed and counted atomically by one Lua
// script, so concurrent callers on several instances share one exact count. Limits guard against
// abuse, not money: when Redis is unreachable the limit is not applied (logged), and the checks
// that protect balances still hold.
import { create } from "@bufbuild/protobuf";
import { durationFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Redis } from "ioredis";
import { ErrorInfoSchema, RetryInfoSchema } from "../../gen/ts/google/rpc/error_details_pb.js";
import { errorDomain } from "./errors.js";
import type { Logger } from "./logger.js";

/** How many events a window allows. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

/** The verdict on one event. */
export type RateLimitVerdict = { allowed: true } | { allowed: false; retryAfterMs: number };

/** A sliding-window limiter over one key family. */
export interface RateLimiter {
  /** Counts an event under the key when it is allowed; refused events are not counted. */
  take(key: string): Promise<RateLimitVerdict>;
  /** Like take, but throws RESOURCE_EXHAUSTED with a retry hint when the event is refused. */
  enforce(key: string): Promise<void>;
}

// KEYS[1] the window's sorted set; ARGV: now (ms), window (ms), limit, a unique member.
// Returns 0 when the event is counted, else the milliseconds until the oldest event leaves.
const takeScript = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

/** The RESOURCE_EXHAUSTED error of a refused event: reason RATE_LIMITED and a RetryInfo delay. */
export function rateLimited(what: string, retryAfterMs: number): ConnectError {
  const seconds = Math.ceil(retryAfterMs / 1000);
  return new ConnectError(`too many ${what}; retry in ${seconds} s`, Code.ResourceExhausted, undefined, [
    {
      desc: ErrorInfoSchema,
      value: {
        reason: "RATE_LIMITED",
        domain: errorDomain,
        metadata: { retry_after_seconds: String(seconds) },
      },
    },
    { desc: RetryInfoSchema, value: create(RetryInfoSchema, { retryDelay: durationFromMs(retryAfterMs) }) },
  ]);
}

/** Creates a limiter; `what` names the events in messages ("payments"), `prefix` the keys ("rl:payment"). */
export function createRateLimiter(options: {
  redis: Redis;
  logger: Logger;
  prefix: string;
  what: string;
  rule: RateLimitRule;
}): RateLimiter {
  const { redis, logger, rule } = options;
  let counter = 0;
  let lastWarning = 0;
  const take = async (key: string): Promise<RateLimitVerdict> => {
    try {
      const now = Date.now();
      const member = `${now}-${process.pid}-${++counter}`;
      const wait = Number(
        await redis.eval(takeScript, 1, `${options.prefix}:${key}`, now, rule.windowMs, rule.limit, member),
      );
      return wait === 0 ? { allowed: true } : { allowed: false, retryAfterMs: wait };
    } catch (err) {
      if (Date.now() - lastWarning > 30_000) {
        lastWarning = Date.now();
        logger.warn({ err, prefix: options.prefix }, "rate limit not applied: Redis unavailable (retryable)");
      }
      return { allowed: true };
    }
  };
  return {
    take,
    async enforce(key) {
      const verdict = await take(key);
      if (!verdict.allowed) throw rateLimited(options.what, verdict.retryAfterMs);
    },
  };
}
