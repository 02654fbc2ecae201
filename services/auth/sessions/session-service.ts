// Business rules for sessions: checking credentials in constant-ish time, issuing token pairs,
// rotating refresh tokens (single use, reuse revokes the family) and ending sessions.
import { randomUUID } from "node:crypto";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { AuthTokensSchema, type AuthTokens } from "../../../gen/ts/fidalex/auth/v1/token_pb.js";
import type { CommonQueryMethods } from "../../runtime/database.js";
import type { AccessTokenIssuer } from "../keys/access-token-issuer.js";
import { hashOpaqueToken, newOpaqueToken } from "../opaque-token.js";
import type { PasswordHasher } from "../passwords/password-hasher.js";
import {
  findCredentialsByUsername,
  findUserById,
  updatePasswordHash,
  userRow,
  type UserRow,
} from "../users/user-repository.js";
import { tokenRolesOf } from "../users/user-service.js";
import type { RevokeAccess } from "./access-revocation.js";
import {
  insertRefreshToken,
  lockRefreshToken,
  markRotated,
  revokeFamily,
  revokeUserTokens,
} from "./session-repository.js";

/** Token lifetimes. */
export interface SessionSettings {
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

/** What presenting a refresh token led to. */
export type RotationOutcome =
  | { kind: "rotated"; tokens: AuthTokens }
  /** Unknown, expired or revoked, or its user is deactivated. */
  | { kind: "invalid" }
  /** Already rotated: presented a second time, so it may be stolen; its family is now revoked. */
  | { kind: "reused"; userId: bigint; familyId: string };

/** Sessions: login, refresh and logout. */
export interface SessionService {
  /**
   * The user whose credentials these are, or undefined alike for an unknown user, a wrong password
   * and a deactivated user; each case costs one argon2 verification.
   */
  authenticate(conn: CommonQueryMethods, username: string, password: string): Promise<UserRow | undefined>;
  /** Starts a session (a new token family) and returns its first token pair. */
  openSession(tx: CommonQueryMethods, user: UserRow): Promise<AuthTokens>;
  /**
   * Exchanges a refresh token for a new pair in the same family. A rotated token presented again
   * revokes its family and every access token of its user.
   */
  rotate(tx: CommonQueryMethods, refreshToken: string, revoke: RevokeAccess): Promise<RotationOutcome>;
  /**
   * Ends the session the refresh token belongs to (its family), or every session of its user when
   * allSessions is set and the token is live, and (for a live token) revokes the user's access
   * tokens; returns false (nothing changed) when no refresh token is this one.
   */
  end(
    tx: CommonQueryMethods,
    refreshToken: string,
    allSessions: boolean,
    revoke: RevokeAccess,
  ): Promise<boolean>;
}

/** Creates the session service. */
export function createSessionService(deps: {
  hasher: PasswordHasher;
  issuer: AccessTokenIssuer;
  settings: SessionSettings;
}): SessionService {
  const { hasher, issuer, settings } = deps;

  async function issuePair(tx: CommonQueryMethods, user: UserRow, familyId: string) {
    const refresh = newOpaqueToken();
    const refreshExpiresAt = new Date(Date.now() + settings.refreshTokenTtlSeconds * 1000);
    const tokenId = await insertRefreshToken(tx, {
      userId: user.user_id,
      tokenHash: refresh.hash,
      familyId,
      expiresAt: refreshExpiresAt,
    });
    const access = await issuer.issue(
      {
        subject: user.user_id.toString(),
        roles: tokenRolesOf(user),
        customerId: user.customer_id,
        tokenVersion: user.token_version,
      },
      settings.accessTokenTtlSeconds,
    );
    const tokens = create(AuthTokensSchema, {
      accessToken: access.token,
      tokenType: "Bearer",
      accessTokenExpiresAt: timestampFromDate(access.expiresAt),
      refreshToken: refresh.token,
      refreshTokenExpiresAt: timestampFromDate(refreshExpiresAt),
    });
    return { tokenId, tokens };
  }

  const isLive = (row: { revoked: boolean; used_at: Date | null; expires_at: Date }) =>
    !row.revoked && row.used_at === null && row.expires_at.getTime() > Date.now();

  return {
    async authenticate(conn, username, password) {
      const row = await findCredentialsByUsername(conn, username);
      if (!row) return hasher.verifyUnknown(password).then(() => undefined);
      const matches = await hasher.verify(row.password_hash, password);
      if (!matches || !row.is_active) return undefined;
      if (hasher.needsRehash(row.password_hash)) {
        // The cost parameters changed since this hash was made: upgrade it while we know the password.
        await updatePasswordHash(conn, row.user_id, await hasher.hash(password));
      }
      return userRow.parse(row);
    },

    async openSession(tx, user) {
      return (await issuePair(tx, user, randomUUID())).tokens;
    },

    async rotate(tx, refreshToken, revoke) {
      const row = await lockRefreshToken(tx, hashOpaqueToken(refreshToken));
      if (!row) return { kind: "invalid" };
      if (row.used_at !== null) {
        await revokeFamily(tx, row.family_id);
        await revoke(row.user_id);
        return { kind: "reused", userId: row.user_id, familyId: row.family_id };
      }
      if (!isLive(row)) return { kind: "invalid" };
      const user = await findUserById(tx, row.user_id);
      if (!user || !user.is_active) {
        await revokeFamily(tx, row.family_id);
        return { kind: "invalid" };
      }
      const { tokenId, tokens } = await issuePair(tx, user, row.family_id);
      await markRotated(tx, row.token_id, tokenId);
      return { kind: "rotated", tokens };
    },

    async end(tx, refreshToken, allSessions, revoke) {
      const row = await lockRefreshToken(tx, hashOpaqueToken(refreshToken));
      if (!row) return false;
      // Only a live token may end every session: an old, leaked token must not log its user out
      // everywhere; it still ends (revokes) its own family.
      const live = isLive(row);
      if (allSessions && live) await revokeUserTokens(tx, row.user_id);
      else await revokeFamily(tx, row.family_id);
      // Access tokens carry no session, so every access token of the user is revoked: other
      // sessions keep their refresh tokens and get a fresh access token on their next refresh. A
      // token already used up revoked them when it was (a retried logout changes nothing more).
      if (live) await revoke(row.user_id);
      return true;
    },
  };
}
