// The Redis client of every service. Redis holds locks, rate limits, idempotency hints, sessions
// and caches: useful, never the record of truth. So a client fails fast while Redis is down
// (each caller decides how to carry on) and logs the outage once every half minute, not once per
// reconnect attempt.
import { Redis } from "ioredis";
import type { Logger } from "./logger.js";

/** Tuning of a service's Redis client. */
export interface RedisClientOptions {
  /** How long one command may take before it fails; 250 ms by default. */
  commandTimeoutMs?: number;
  /**
   * Whether commands issued before the first connection (or during a reconnect) wait for it
   * instead of failing at once; false by default.
   */
  queueWhileConnecting?: boolean;
}

/** Creates a service's Redis client for a redis:// or rediss:// URL. */
export function createRedisClient(url: string, logger: Logger, options: RedisClientOptions = {}): Redis {
  const queue = options.queueWhileConnecting ?? false;
  const redis = new Redis(url, {
    enableOfflineQueue: queue,
    maxRetriesPerRequest: queue ? 1 : 0,
    commandTimeout: options.commandTimeoutMs ?? 250,
    connectTimeout: 1_000,
    // After disconnect(), a socket that never connected is destroyed after this long (default 2 s).
    disconnectTimeout: 200,
    retryStrategy: (attempt) => Math.min(attempt * 250, 5_000),
  });
  let lastLog = 0;
  redis.on("error", (error: Error) => {
    if (Date.now() - lastLog > 30_000) {
      lastLog = Date.now();
      logger.warn({ err: error.message }, "redis unavailable; features that use it degrade (retryable)");
    }
  });
  return redis;
}
