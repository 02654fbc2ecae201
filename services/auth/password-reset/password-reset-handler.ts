// Transport for RequestPasswordReset and ConfirmPasswordReset. The request's answer is the same
// whether or not the email is known, and so is its outcome when delivery fails.
import type { ServiceImpl } from "@connectrpc/connect";
import { AuthService } from "../../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import type { DatabasePool } from "../../runtime/database.js";
import type { Logger } from "../../runtime/logger.js";
import type { ClientAddressOf } from "../../runtime/client-address.js";
import type { AbuseLimits } from "../abuse-limits.js";
import type { AccessRevocation } from "../sessions/access-revocation.js";
import type { LoginThrottle } from "../sessions/login-throttle.js";
import type { PasswordResetService } from "./password-reset-service.js";
import type { ResetTokenDelivery } from "./reset-token-delivery.js";

/** RequestPasswordReset and ConfirmPasswordReset. */
export function createPasswordResetHandlers(deps: {
  db: DatabasePool;
  resets: PasswordResetService;
  delivery: ResetTokenDelivery;
  throttle: LoginThrottle;
  revocation: AccessRevocation;
  limits: AbuseLimits;
  addressOf: ClientAddressOf;
  logger: Logger;
}): Pick<ServiceImpl<typeof AuthService>, "requestPasswordReset" | "confirmPasswordReset"> {
  const { db, resets, delivery, throttle, revocation, limits, addressOf, logger } = deps;
  return {
    async requestPasswordReset(req, ctx) {
      await limits.requestReset(addressOf(ctx.requestHeader), req.email);
      const notice = await db.transaction((tx) => resets.request(tx, req.email));
      if (notice) {
        try {
          await delivery.deliver(notice);
        } catch (error) {
          logger.error(
            { err: error, userId: String(notice.userId) },
            "reset token delivery failed (retryable)",
          );
        }
      }
      return {};
    },

    async confirmPasswordReset(req, ctx) {
      const address = addressOf(ctx.requestHeader);
      await limits.confirmReset(address, req.resetToken);
      const username = await revocation.transaction(db, (tx, revoke) =>
        resets.confirm(tx, req.resetToken, req.newPassword, revoke),
      );
      // The user proved control of the mailbox: earlier failed logins from here no longer hold
      // them back.
      await throttle.forget(username, address);
      logger.info("password reset completed; all sessions of the user revoked");
      return {};
    },
  };
}
