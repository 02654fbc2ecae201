// Transport for Register and GetMe: reads the principal, owns the transaction, maps errors.
import { Code, type ServiceImpl } from "@connectrpc/connect";
import { UniqueIntegrityConstraintViolationError } from "slonik";
import { AuthService } from "../../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { requirePrincipal } from "../../runtime/auth.js";
import type { DatabasePool } from "../../runtime/database.js";
import { domainError } from "../../runtime/errors.js";
import { findUserById } from "./user-repository.js";
import { toUserMessage, type UserService } from "./user-service.js";

/** Register and GetMe. */
export function createUserHandlers(deps: {
  db: DatabasePool;
  users: UserService;
}): Pick<ServiceImpl<typeof AuthService>, "register" | "getMe"> {
  const { db, users } = deps;
  return {
    async register(req) {
      const registration = await users.checkRegistration(req);
      try {
        const row = await db.transaction((tx) => users.register(tx, registration));
        return { user: toUserMessage(row) };
      } catch (error) {
        if (error instanceof UniqueIntegrityConstraintViolationError) {
          const constraint = error.constraint ?? "";
          if (constraint.includes("username")) {
            throw domainError(Code.AlreadyExists, "USERNAME_TAKEN", "the username is already taken");
          }
          if (constraint.includes("email")) {
            throw domainError(Code.AlreadyExists, "EMAIL_TAKEN", "the email address is already registered");
          }
        }
        throw error;
      }
    },

    async getMe(_req, ctx) {
      const principal = requirePrincipal(ctx);
      if (principal.userId === 0n) {
        throw domainError(Code.PermissionDenied, "NOT_A_USER", "a service token has no user profile");
      }
      const row = await findUserById(db, principal.userId);
      // A deactivated (or deleted) user's tokens are refused, even before they expire.
      if (!row || !row.is_active) {
        throw domainError(Code.Unauthenticated, "TOKEN_INVALID", "the access token is not valid");
      }
      return { user: toUserMessage(row) };
    },
  };
}
