// The Auth service: configuration, migrations, signing keys, stores, the password hasher and the
// bootstrap admin, then the routes (services/runtime/service.ts runs it). It listens only when
// this file is run directly.
import { defineService, serviceEntry } from "../runtime/service.js";
import { loadAuthConfig } from "./config.js";
import { loadSigningKeySet } from "./keys/signing-key-set.js";
import { createPasswordHasher } from "./passwords/password-hasher.js";
import { createLoggingResetTokenDelivery } from "./password-reset/reset-token-delivery.js";
import { ensureBootstrapAdmin } from "./roles/bootstrap-admin.js";
import { authRoutes, type AuthDeps } from "./server.js";

export const authService = defineService(import.meta.url, {
  loadConfig: loadAuthConfig,
  async dependencies(ctx): Promise<AuthDeps> {
    const { config, logger } = ctx;
    const keys = await loadSigningKeySet(config, logger);
    const db = await ctx.database();
    // The login throttle waits briefly for Redis at start, and lets logins through (logged) when
    // Redis is down: a cache outage must not lock every customer out.
    const redis = ctx.redis(config.REDIS_URL, { queueWhileConnecting: true, commandTimeoutMs: 500 });
    const hasher = await createPasswordHasher({
      memoryKib: config.ARGON2_MEMORY_KIB,
      timeCost: config.ARGON2_TIME_COST,
      parallelism: config.ARGON2_PARALLELISM,
    });
    if (config.bootstrapAdmin) await ensureBootstrapAdmin(db, hasher, config.bootstrapAdmin, logger);
    const resetTokenDelivery = ctx.provide("resetTokenDelivery", () =>
      createLoggingResetTokenDelivery(logger),
    );
    return { config, db, redis, logger, keys, hasher, resetTokenDelivery };
  },
  routes: authRoutes,
});

export const start = serviceEntry(authService, import.meta.url);
