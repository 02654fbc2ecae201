// Access tokens of the mesh: short-lived ES256 JWTs with the claims docs/services.md defines
// (iss, aud, sub, roles, cid, iat, exp, jti), for users and for mesh services alike.
import { randomUUID } from "node:crypto";
import { tokenAudience, tokenIssuer, type AccessTokenClaims, type RoleName } from "../../runtime/auth.js";
import type { SigningKeySet } from "./signing-key-set.js";

/** A signed access token and when it expires. */
export interface IssuedAccessToken {
  readonly token: string;
  readonly expiresAt: Date;
}

/** Who a token is for. */
export interface TokenSubject {
  /** A user id as a decimal string, or `svc:<client_id>`. */
  subject: string;
  roles: RoleName[];
  /** The linked customer, if any (claim `cid`). */
  customerId?: bigint | null;
  /** The user's token version (claim `ver`); absent for services. */
  tokenVersion?: number;
}

/** Signs access tokens with the current key. */
export interface AccessTokenIssuer {
  issue(subject: TokenSubject, ttlSeconds: number): Promise<IssuedAccessToken>;
}

/** Creates the issuer over the service's key set; `now` is injectable for tests of expiry. */
export function createAccessTokenIssuer(
  keys: SigningKeySet,
  now: () => number = Date.now,
): AccessTokenIssuer {
  return {
    async issue({ subject, roles, customerId, tokenVersion }, ttlSeconds) {
      const issuedAt = Math.floor(now() / 1000);
      const expiresAt = issuedAt + ttlSeconds;
      const claims: AccessTokenClaims = {
        iss: tokenIssuer,
        aud: tokenAudience,
        sub: subject,
        roles,
        ...(customerId ? { cid: customerId.toString() } : {}),
        ...(tokenVersion !== undefined ? { ver: tokenVersion } : {}),
        iat: issuedAt,
        exp: expiresAt,
        jti: randomUUID(),
      };
      return { token: await keys.sign(claims), expiresAt: new Date(expiresAt * 1000) };
    },
  };
}
