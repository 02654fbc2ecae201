// The Auth service's routes and public procedures over its dependencies. No I/O happens here;
// main.ts creates the pool, the Redis client and the keys.
import type { Redis } from "ioredis";
import { AuthService } from "../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { CustomerLinkService } from "../../gen/ts/fidalex/auth/v1/customer_link_service_pb.js";
import { ServiceTokenService } from "../../gen/ts/fidalex/auth/v1/service_token_service_pb.js";
import type { DatabasePool } from "../runtime/database.js";
import type { Logger } from "../runtime/logger.js";
import type { ServedRoutes } from "../runtime/service.js";
import type { AuthConfig } from "./config.js";
import { createClientAddress } from "../runtime/client-address.js";
import { createAbuseLimits } from "./abuse-limits.js";
import { createCustomerLinkHandlers } from "./customer-links/customer-link-handler.js";
import { createAccessTokenIssuer } from "./keys/access-token-issuer.js";
import { createJwksDocumentFallback, createJwksHandlers } from "./keys/jwks-handler.js";
import type { SigningKeySet } from "./keys/signing-key-set.js";
import type { PasswordHasher } from "./passwords/password-hasher.js";
import { createPasswordResetHandlers } from "./password-reset/password-reset-handler.js";
import { createPasswordResetService } from "./password-reset/password-reset-service.js";
import type { ResetTokenDelivery } from "./password-reset/reset-token-delivery.js";
import { createRoleHandlers } from "./roles/role-handler.js";
import { createServiceTokenHandlers } from "./service-tokens/service-token-handler.js";
import { createServiceTokenService } from "./service-tokens/service-token-service.js";
import { createAccessRevocation } from "./sessions/access-revocation.js";
import { createLoginThrottle } from "./sessions/login-throttle.js";
import { createSessionHandlers } from "./sessions/session-handler.js";
import { createSessionService } from "./sessions/session-service.js";
import { createUserHandlers } from "./users/user-handler.js";
import { createUserService } from "./users/user-service.js";

/** What the Auth server needs; every store and channel is passed in. */
export interface AuthDeps {
  config: AuthConfig;
  db: DatabasePool;
  redis: Redis;
  logger: Logger;
  keys: SigningKeySet;
  hasher: PasswordHasher;
  resetTokenDelivery: ResetTokenDelivery;
}

/** The procedures callable without an access token. */
export const publicProcedures: ReadonlySet<string> = new Set(
  [
    ...[
      "Register",
      "Login",
      "RefreshToken",
      "Logout",
      "RequestPasswordReset",
      "ConfirmPasswordReset",
      "GetJwks",
    ].map((method) => `${AuthService.typeName}/${method}`),
    `${ServiceTokenService.typeName}/IssueServiceToken`,
  ].sort(),
);

/** The routes of the Auth service. */
export function authRoutes(deps: AuthDeps): ServedRoutes {
  const { config, db, redis, logger, keys, hasher } = deps;
  const issuer = createAccessTokenIssuer(keys);
  const throttle = createLoginThrottle({
    redis,
    logger,
    settings: {
      freeFailures: config.LOGIN_FREE_FAILURES,
      maxDelaySeconds: config.LOGIN_MAX_DELAY_SECONDS,
      maxFailuresPerAddress: config.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
    },
  });
  const limits = createAbuseLimits({
    redis,
    logger,
    settings: {
      registrationsPerAddress: config.REGISTRATIONS_PER_ADDRESS_PER_HOUR,
      resetsPerAddress: config.PASSWORD_RESETS_PER_ADDRESS_PER_HOUR,
      attemptsPerTarget: config.ATTEMPTS_PER_TARGET_PER_HOUR,
    },
  });
  const addressOf = createClientAddress(config.EDGE_SECRET);
  const revocation = createAccessRevocation({
    redis,
    logger,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  const sessions = createSessionService({
    hasher,
    issuer,
    settings: {
      accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
    },
  });
  const authService = {
    ...createUserHandlers({ db, users: createUserService({ hasher }), limits, addressOf }),
    ...createSessionHandlers({ db, sessions, throttle, revocation, addressOf, logger }),
    ...createPasswordResetHandlers({
      db,
      resets: createPasswordResetService({ hasher, tokenTtlSeconds: config.PASSWORD_RESET_TTL_SECONDS }),
      delivery: deps.resetTokenDelivery,
      throttle,
      revocation,
      limits,
      addressOf,
      logger,
    }),
    ...createJwksHandlers(keys),
    ...createRoleHandlers({ db, revocation, logger }),
  };
  const serviceTokens = createServiceTokenService({
    clients: config.SERVICE_CLIENT_SECRETS,
    issuer,
    ttlSeconds: config.SERVICE_TOKEN_TTL_SECONDS,
  });

  return {
    services: [AuthService, CustomerLinkService, ServiceTokenService],
    routes(router) {
      router.service(AuthService, authService);
      router.service(CustomerLinkService, createCustomerLinkHandlers({ db, logger }));
      router.service(ServiceTokenService, createServiceTokenHandlers({ serviceTokens, logger }));
    },
    // The service checks its own tokens against its own key set: no network hop.
    keys: keys.resolveKey,
    publicProcedures,
    fallback: createJwksDocumentFallback(keys),
  };
}
