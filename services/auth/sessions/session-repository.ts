// SQL for refresh tokens (sessions): every function takes the connection first. Tokens are looked
// up by their SHA-256; a family is one login and all the tokens its rotations produced.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

/** A refresh token's state, without its hash. */
export const refreshTokenRow = z.object({
  token_id: z.bigint(),
  user_id: z.bigint(),
  family_id: z.string(),
  expires_at: z.date(),
  revoked: z.boolean(),
  used_at: z.date().nullable(),
});
export type RefreshTokenRow = z.infer<typeof refreshTokenRow>;

const columns = sql.fragment`token_id, user_id, family_id, expires_at, revoked, used_at`;

/** Stores a new refresh token (its hash) and returns its id. */
export function insertRefreshToken(
  conn: CommonQueryMethods,
  token: { userId: bigint; tokenHash: string; familyId: string; expiresAt: Date },
): Promise<bigint> {
  return conn.oneFirst(sql.type(z.object({ token_id: z.bigint() }))`
    INSERT INTO refresh_tokens (user_id, token, family_id, expires_at)
    VALUES (${token.userId}, ${token.tokenHash}, ${sql.uuid(token.familyId)}, ${sql.timestamp(token.expiresAt)})
    RETURNING token_id`);
}

/** The token with the hash, locked until the transaction ends (one rotation at a time), or null. */
export function lockRefreshToken(
  conn: CommonQueryMethods,
  tokenHash: string,
): Promise<RefreshTokenRow | null> {
  return conn.maybeOne(sql.type(refreshTokenRow)`
    SELECT ${columns} FROM refresh_tokens WHERE token = ${tokenHash} FOR UPDATE`);
}

/** Records that the token was exchanged for its successor. */
export async function markRotated(
  conn: CommonQueryMethods,
  tokenId: bigint,
  replacedBy: bigint,
): Promise<void> {
  await conn.query(sql.unsafe`
    UPDATE refresh_tokens SET used_at = NOW(), replaced_by = ${replacedBy} WHERE token_id = ${tokenId}`);
}

/** Revokes every token of a family; returns how many were still unrevoked. */
export async function revokeFamily(conn: CommonQueryMethods, familyId: string): Promise<number> {
  const result = await conn.query(sql.unsafe`
    UPDATE refresh_tokens SET revoked = TRUE WHERE family_id = ${sql.uuid(familyId)} AND NOT revoked`);
  return result.rowCount;
}

/** Revokes every token of a user (all sessions); returns how many were still unrevoked. */
export async function revokeUserTokens(conn: CommonQueryMethods, userId: bigint): Promise<number> {
  const result = await conn.query(sql.unsafe`
    UPDATE refresh_tokens SET revoked = TRUE WHERE user_id = ${userId} AND NOT revoked`);
  return result.rowCount;
}
