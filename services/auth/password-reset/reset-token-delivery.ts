// How a reset token reaches its user. Real delivery (email) is out of scope; the default only
// records that a token was issued, never the token, and tests replace it to capture the token.
import type { Logger } from "../../runtime/logger.js";

/** A reset token to hand to its user, once. */
export interface ResetTokenNotice {
  readonly userId: bigint;
  readonly email: string;
  /** The plaintext token: the only place it exists; never log it. */
  readonly resetToken: string;
  readonly expiresAt: Date;
}

/** The channel reset tokens leave the service through. */
export interface ResetTokenDelivery {
  deliver(notice: ResetTokenNotice): Promise<void>;
}

/** The default channel: logs "reset token issued for user N" and drops the token. */
export function createLoggingResetTokenDelivery(logger: Logger): ResetTokenDelivery {
  return {
    async deliver(notice) {
      logger.info({ userId: String(notice.userId) }, `reset token issued for user ${notice.userId}`);
    },
  };
}
