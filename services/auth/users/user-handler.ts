// Transport for Register and GetMe: reads the principal, owns the transaction, maps errors.
import { Code, type ServiceImpl } from "@connectrpc/connect";
import { AuthService } from "../../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { requirePrincipal } from "../../runtime/auth.js";
import { withConstraintErrors, type ConstraintErrors } from "../../runtime/database-errors.js";
import type { DatabasePool } from "../../runtime/database.js";
import { domainError } from "../../runtime/errors.js";
import type { ClientAddressOf } from "../../runtime/client-address.js";
import type { AbuseLimits } from "../abuse-limits.js";
import { findUserById } from "./user-repository.js";
import { toUserMessage, type UserService } from "./user-service.js";

// One answer whether the username or the email is taken: login and password reset do not tell
// whether an email is a customer's, so registration does not either (docs/security.md). Together
// with the per-address and per-target limits, probing who banks with us stays slow and vague.
const registrationConflict = () =>
  domainError(
    Code.AlreadyExists,
    "REGISTRATION_CONFLICT",
    "this username or email address cannot be registered: choose another username, or log in or reset the password if you already bank with us",
  );

/** The unique constraints of users (exact and case-folded) a registration can run into. */
const userConstraints: ConstraintErrors = {
  users_username_key: registrationConflict,
  users_username_lower_key: registrationConflict,
  users_email_key: registrationConflict,
  users_email_lower_key: registrationConflict,
};

/** Register and GetMe. */
export function createUserHandlers(deps: {
  db: DatabasePool;
  users: UserService;
  limits: AbuseLimits;
  addressOf: ClientAddressOf;
}): Pick<ServiceImpl<typeof AuthService>, "register" | "getMe"> {
  const { db, users, limits, addressOf } = deps;
  return {
    async register(req, ctx) {
      await limits.register(addressOf(ctx.requestHeader), req.username, req.email);
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
