// Transport for Login, RefreshToken and Logout: rate limits, transactions and the errors a client
// sees, identical for every kind of bad credentials.
import { Code, ConnectError, type ServiceImpl } from "@connectrpc/connect";
import { AuthService } from "../../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { ErrorInfoSchema, RetryInfoSchema } from "../../../gen/ts/google/rpc/error_details_pb.js";
import type { DatabasePool } from "../../runtime/database.js";
import { domainError, errorDomain } from "../../runtime/errors.js";
import type { Logger } from "../../runtime/logger.js";
import { toUserMessage } from "../users/user-service.js";
import type { ClientAddressOf } from "../../runtime/client-address.js";
import type { AccessRevocation } from "./access-revocation.js";
import type { LoginThrottle } from "./login-throttle.js";
import type { SessionService } from "./session-service.js";

const invalidCredentials = () =>
  domainError(Code.Unauthenticated, "INVALID_CREDENTIALS", "the username or password is not correct");

const refreshTokenInvalid = () =>
  domainError(Code.Unauthenticated, "REFRESH_TOKEN_INVALID", "the refresh token is not valid");

/** RESOURCE_EXHAUSTED with reason TOO_MANY_ATTEMPTS and a RetryInfo saying when to try again. */
function tooManyAttempts(retryAfterSeconds: number): ConnectError {
  return new ConnectError("too many failed logins; try again later", Code.ResourceExhausted, undefined, [
    {
      desc: ErrorInfoSchema,
      value: {
        reason: "TOO_MANY_ATTEMPTS",
        domain: errorDomain,
        metadata: { retry_after_seconds: String(retryAfterSeconds) },
      },
    },
    { desc: RetryInfoSchema, value: { retryDelay: { seconds: BigInt(retryAfterSeconds), nanos: 0 } } },
  ]);
}

/** Login, RefreshToken and Logout. */
export function createSessionHandlers(deps: {
  db: DatabasePool;
  sessions: SessionService;
  throttle: LoginThrottle;
  revocation: AccessRevocation;
  addressOf: ClientAddressOf;
  logger: Logger;
}): Pick<ServiceImpl<typeof AuthService>, "login" | "refreshToken" | "logout"> {
  const { db, sessions, throttle, revocation, addressOf, logger } = deps;
  return {
    async login(req, ctx) {
      const address = addressOf(ctx.requestHeader);
      const retryAfter = await throttle.blockedFor(req.username, address);
      if (retryAfter !== undefined) throw tooManyAttempts(retryAfter);
      const user = await sessions.authenticate(db, req.username, req.password);
      if (!user) {
        await throttle.recordFailure(req.username, address);
        throw invalidCredentials();
      }
      await throttle.forget(req.username, address);
      const tokens = await db.transaction((tx) => sessions.openSession(tx, user));
      return { tokens, user: toUserMessage(user) };
    },

    async refreshToken(req) {
      const outcome = await revocation.transaction(db, (tx, revoke) =>
        sessions.rotate(tx, req.refreshToken, revoke),
      );
      if (outcome.kind === "reused") {
        logger.warn(
          { userId: String(outcome.userId), familyId: outcome.familyId },
          "a rotated refresh token was presented again; its whole family is revoked",
        );
      }
      if (outcome.kind !== "rotated") throw refreshTokenInvalid();
      return { tokens: outcome.tokens };
    },

    async logout(req) {
      // An unknown refresh token is refused like at refresh: a 200 would tell a client whose
      // token was mistyped or never issued that it logged out, while its session lives on.
      const ended = await revocation.transaction(db, (tx, revoke) =>
        sessions.end(tx, req.refreshToken, req.allSessions, revoke),
      );
      if (!ended) throw refreshTokenInvalid();
      return {};
    },
  };
}
