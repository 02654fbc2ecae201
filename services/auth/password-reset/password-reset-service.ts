// Business rules for password resets: one open, single-use, expiring token per user, stored
// hashed; confirming it sets a new password under the policy and ends every session.
import { Code } from "@connectrpc/connect";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { domainError } from "../../runtime/errors.js";
import { hashOpaqueToken, newOpaqueToken } from "../opaque-token.js";
import type { PasswordHasher } from "../passwords/password-hasher.js";
import { assertPasswordAcceptable } from "../passwords/password-policy.js";
import type { RevokeAccess } from "../sessions/access-revocation.js";
import { revokeUserTokens } from "../sessions/session-repository.js";
import { findUserByEmail, findUserById, updatePasswordHash } from "../users/user-repository.js";
import type { ResetTokenNotice } from "./reset-token-delivery.js";
import { closeResetRequests, insertResetRequest, lockResetRequest } from "./password-reset-repository.js";

/** Password resets. */
export interface PasswordResetService {
  /**
   * Creates a reset token for the active user with the email (replacing any open one) and returns
   * what to deliver; undefined when no active user has that email.
   */
  request(tx: CommonQueryMethods, email: string): Promise<ResetTokenNotice | undefined>;
  /**
   * Sets the new password with a reset token, uses the token up and revokes every refresh and
   * access token of the user; returns the username. RESET_TOKEN_INVALID for an unknown, used or expired token,
   * WEAK_PASSWORD (token kept) for a password the policy refuses.
   */
  confirm(
    tx: CommonQueryMethods,
    resetToken: string,
    newPassword: string,
    revoke: RevokeAccess,
  ): Promise<string>;
}

/** Creates the password-reset service. */
export function createPasswordResetService(deps: {
  hasher: PasswordHasher;
  tokenTtlSeconds: number;
}): PasswordResetService {
  const { hasher, tokenTtlSeconds } = deps;
  const resetTokenInvalid = () =>
    domainError(Code.InvalidArgument, "RESET_TOKEN_INVALID", "the reset token is not valid or has expired");

  return {
    async request(tx, email) {
      const user = await findUserByEmail(tx, email);
      if (!user || !user.is_active) return undefined;
      await closeResetRequests(tx, user.user_id);
      const { token, hash } = newOpaqueToken();
      const expiresAt = new Date(Date.now() + tokenTtlSeconds * 1000);
      await insertResetRequest(tx, { userId: user.user_id, tokenHash: hash, expiresAt });
      return { userId: user.user_id, email: user.email, resetToken: token, expiresAt };
    },

    async confirm(tx, resetToken, newPassword, revoke) {
      const request = await lockResetRequest(tx, hashOpaqueToken(resetToken));
      if (!request || request.is_used || request.expires_at.getTime() <= Date.now())
        throw resetTokenInvalid();
      const user = await findUserById(tx, request.user_id);
      if (!user || !user.is_active) throw resetTokenInvalid();
      assertPasswordAcceptable("new_password", newPassword, user);
      await updatePasswordHash(tx, user.user_id, await hasher.hash(newPassword));
      await closeResetRequests(tx, user.user_id);
      await revokeUserTokens(tx, user.user_id);
      await revoke(user.user_id);
      return user.username;
    },
  };
}
