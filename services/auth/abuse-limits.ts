// Limits on the public routes that cost the bank something or reveal something: registration,
// password-reset requests (each sends an email) and reset confirmations. Sliding windows in Redis
// (services/runtime/rate-limit.ts), per client address and per target (the username or email
// registered, the email a reset is asked for, the reset token tried), so neither one address nor
// many addresses aimed at one target get far. Targets are hashed into the keys: no emails in
// Redis. Refusals are RESOURCE_EXHAUSTED (reason RATE_LIMITED) with a RetryInfo.
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "../runtime/logger.js";
import { createRateLimiter, type RateLimiter } from "../runtime/rate-limit.js";

/** The per-hour budgets. */
export interface AbuseLimitSettings {
  registrationsPerAddress: number;
  resetsPerAddress: number;
  attemptsPerTarget: number;
}

/** The checks each public route runs before its work; each throws RATE_LIMITED when over. */
export interface AbuseLimits {
  register(address: string, username: string, email: string): Promise<void>;
  requestReset(address: string, email: string): Promise<void>;
  confirmReset(address: string, resetToken: string): Promise<void>;
}

const hour = 3_600_000;
const target = (value: string) => createHash("sha256").update(value, "utf8").digest("hex");

/** Creates the limits over Redis; when Redis is down they are not applied (logged). */
export function createAbuseLimits(deps: {
  redis: Redis;
  logger: Logger;
  settings: AbuseLimitSettings;
}): AbuseLimits {
  const { redis, logger, settings } = deps;
  const limiter = (prefix: string, what: string, limit: number): RateLimiter =>
    createRateLimiter({ redis, logger, prefix, what, rule: { limit, windowMs: hour } });
  const registrations = limiter("rl:register:ip", "registrations", settings.registrationsPerAddress);
  const registrationTargets = limiter("rl:register:target", "registrations", settings.attemptsPerTarget);
  const resets = limiter("rl:reset:ip", "password-reset requests", settings.resetsPerAddress);
  const resetTargets = limiter("rl:reset:email", "password-reset requests", settings.attemptsPerTarget);
  const confirms = limiter("rl:reset-confirm:ip", "password-reset attempts", settings.resetsPerAddress);
  const confirmTargets = limiter(
    "rl:reset-confirm:token",
    "password-reset attempts",
    settings.attemptsPerTarget,
  );
  return {
    async register(address, username, email) {
      await registrations.enforce(address);
      await registrationTargets.enforce(`u:${target(username.toLowerCase())}`);
      await registrationTargets.enforce(`e:${target(email.toLowerCase())}`);
    },
    async requestReset(address, email) {
      await resets.enforce(address);
      await resetTargets.enforce(target(email.toLowerCase()));
    },
    async confirmReset(address, resetToken) {
      await confirms.enforce(address);
      await confirmTargets.enforce(target(resetToken));
    },
  };
}
