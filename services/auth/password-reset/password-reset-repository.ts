// SQL for password-reset requests: every function takes the connection first; reset_token holds
// the token's SHA-256, never the token.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

/** A reset request's state. */
const resetRequestRow = z.object({
  request_id: z.bigint(),
  user_id: z.bigint(),
  expires_at: z.date(),
  is_used: z.boolean(),
});
export type ResetRequestRow = z.infer<typeof resetRequestRow>;

/** Stores a reset request. */
export async function insertResetRequest(
  conn: CommonQueryMethods,
  request: { userId: bigint; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await conn.query(sql.unsafe`
    INSERT INTO password_reset_requests (user_id, reset_token, expires_at)
    VALUES (${request.userId}, ${request.tokenHash}, ${sql.timestamp(request.expiresAt)})`);
}

/** The request with the token hash, locked until the transaction ends, or null. */
export function lockResetRequest(
  conn: CommonQueryMethods,
  tokenHash: string,
): Promise<ResetRequestRow | null> {
  return conn.maybeOne(sql.type(resetRequestRow)`
    SELECT request_id, user_id, expires_at, is_used
    FROM password_reset_requests WHERE reset_token = ${tokenHash} FOR UPDATE`);
}

/** Uses up every open request of a user (a new request, or a completed reset, supersedes them). */
export async function closeResetRequests(conn: CommonQueryMethods, userId: bigint): Promise<void> {
  await conn.query(sql.unsafe`
    UPDATE password_reset_requests SET is_used = TRUE WHERE user_id = ${userId} AND NOT is_used`);
}
