// Transport for Register and GetMe: reads the principal, owns the transaction, maps errors.
import { Code, type ServiceImpl } from "@connectrpc/connect";
import { AuthService } from "../../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { requirePrincipal } from "../../runtime/auth.js";
import { withConstraintErrors, type ConstraintErrors } from "../../runtime/database-errors.js";
import type { DatabasePool } from "../../runtime/database.js";
import { domainError } from "../../runtime/errors.js";
import { findUserById } from "./user-repository.js";
import { toUserMessage, type UserService } from "./user-service.js";

const usernameTaken = () =>
  domainError(Code.AlreadyExists, "USERNAME_TAKEN", "the username is already taken");
const emailTaken = () =>
  domainError(Code.AlreadyExists, "EMAIL_TAKEN", "the email address is already registered");

/** The unique constraints of users (exact and case-folded) a registration can run into. */
const userConstraints: ConstraintErrors = {
  users_username_key: usernameTaken,
  users_username_lower_key: usernameTaken,
  users_email_key: emailTaken,
  users_email_lower_key: emailTaken,
};

/** Register and GetMe. */
export function createUserHandlers(deps: {
  db: DatabasePool;
  users: UserService;
}): Pick<ServiceImpl<typeof AuthService>, "register" | "getMe"> {
  const { db, users } = deps;
  return {
    async register(req) {
      const registration = await users.checkRegistration(req);
      const row = await withConstraintErrors(userConstraints, () =>
        db.transaction((tx) => users.register(tx, registration)),
      );
      return { user: toUserMessage(row) };
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
